"""The words of bulk and staged loads (``ipeco load --bulk`` / ``--staged``, :mod:`graph.bulk`).

Why a table of their own: these loads refuse for reasons a normal load never meets (a database that
is not empty, a database that changed while the next one was built, an importer that failed), and
each refusal must name the way out in the reader's language.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "load.bulk.not_local": {
        "ja": "--bulk と --staged は、ローカルサーバー（`ipeco db start`）の隣で neo4j-admin により次のデータベースを"
        "作ります。--store neo4j を使い、NEO4J_URI を設定せずに実行してください。何も書き込んでいません",
        "en": "--bulk and --staged build the next database with neo4j-admin beside the local server of "
        "`ipeco db start`: use --store neo4j with NEO4J_URI unset. Nothing was written",
    },
    "load.bulk.not_running": {
        "ja": "ローカルの Neo4j が動いていません。`ipeco db start` で起動してから読み込み直してください。"
        "何も書き込んでいません",
        "en": "the local Neo4j is not running: start it with `ipeco db start`, then load again. Nothing was written",
    },
    "load.bulk.not_empty": {
        "ja": "--bulk は空のデータベースにだけ読み込みます。このデータベースには {nodes} 個のノードがあります。"
        "--staged（同じ一括切り替えで、既存のデータと統合します）か、オプションなしで読み込んでください。何も書き込んでいません",
        "en": "--bulk loads only into an empty database, and this one holds {nodes} nodes: load with --staged "
        "(the same all-or-nothing switch, merged with the data already there) or with neither option. "
        "Nothing was written",
    },
    "load.bulk.busy": {
        "ja": "別の一括読み込み（pid {pid}）が次のデータベースを作成中です。終わってから読み込み直してください。"
        "何も書き込んでいません",
        "en": "another bulk or staged load (pid {pid}) is building the next database: run this load when it "
        "has finished. Nothing was written",
    },
    "load.staged.moved": {
        "ja": "次のデータベースを作っている間にデータベースが変わりました（データ版 {before} → {now}）。"
        "切り替えず、何も変えていません。読み込み直してください",
        "en": "the database changed while the next one was being built (data version {before} → {now}); "
        "it was not switched and nothing changed: run the load again",
    },
    "load.bulk.import_failed": {
        "ja": "neo4j-admin が次のデータベースを取り込めませんでした（終了コード {code}）。何も変えていません:\n{tail}",
        "en": "neo4j-admin could not import the next database (exit code {code}); nothing changed:\n{tail}",
    },
    "load.bulk.check_failed": {
        "ja": "新しいデータベースの件数が作成内容と違いました（ノード {found}/{nodes}、関係 {found_rels}/{rels}）。"
        "元のデータベースに戻しました",
        "en": "the new database did not hold what was built ({found} of {nodes} nodes, {found_rels} of {rels} "
        "relationships); the previous database is back",
    },
    "load.auto_staged": {
        "ja": "{records} 件の読み込みは、ヒープ {heap} の1トランザクションに収まる目安（{limit} 件）を超えるため、"
        "段階的に読み込みます",
        "en": "a load of {records} records is more than one transaction holds at a {heap} heap (about {limit}): "
        "loading it staged",
    },
    "load.phase.validate": {"ja": "検証と統合", "en": "validating and merging"},
    "load.phase.csv": {"ja": "CSV の書き出し", "en": "writing the import CSV"},
    "load.phase.import": {"ja": "neo4j-admin による取り込み", "en": "importing with neo4j-admin"},
    "load.phase.switch": {"ja": "新しいデータベースへの切り替え", "en": "switching to the new database"},
}

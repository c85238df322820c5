"""The words of the local Neo4j server's state (``ipeco db status``): what each state means and what to do."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "db.state.running": {"ja": "Neo4j が {uri} で応答しています。", "en": "Neo4j answers on {uri}."},
    "db.state.unmanaged": {
        "ja": "Neo4j が {uri} で応答していますが、古い ipeco で起動されたためロックを持っていません。"
        "`ipeco db stop` と `ipeco db start` で管理下に戻せます。",
        "en": "Neo4j answers on {uri} but was started by an older ipeco without the lock; "
        "`ipeco db stop` then `ipeco db start` brings it under management.",
    },
    "db.state.starting": {
        "ja": "サーバープロセス (pid {pid}) は起動中で、Bolt はまだ応答しません。数秒待ってください。",
        "en": "the server process (pid {pid}) is starting and Bolt does not answer yet; wait a few seconds.",
    },
    "db.state.recovering": {
        "ja": "前回きれいに停止しなかったため、サーバーがデータを復旧しています（ログより: {progress}）。"
        "完了まで待ってください（`ipeco db logs` で進捗を確認できます）。",
        "en": "the server is recovering its data after an unclean stop (from its log: {progress}); "
        "wait for it to finish (`ipeco db logs` shows the progress).",
    },
    "db.state.stale": {
        "ja": "サーバーは正常に停止せずに終了しました（強制終了・クラッシュ・マシン停止）。"
        "データはディスク上に残っており、`ipeco db start` が起動時に復旧します。",
        "en": "the server died without stopping cleanly (killed, crashed, or the machine stopped); its data "
        "is still on disk and `ipeco db start` recovers it on the next start.",
    },
    "db.state.stopped": {
        "ja": "サーバーは動いていません。`ipeco db start` で起動します。",
        "en": "no server runs; `ipeco db start` starts one.",
    },
    "db.state.failed": {
        "ja": "サーバーは起動または復旧に失敗しました。ログの理由: {reason}。{way_out}",
        "en": "the server failed to start or recover; its log says: {reason}. {way_out}",
    },
    "db.way_out.disk": {
        "ja": "{data} のディスクを空けてから `ipeco db stop` と `ipeco db start` を実行してください。",
        "en": "Free space on the disk of {data}, then run `ipeco db stop` and `ipeco db start`.",
    },
    "db.way_out.logs": {
        "ja": "`ipeco db logs` で詳細を確認し、原因を取り除いてから "
        "`ipeco db stop` と `ipeco db start` を実行してください。",
        "en": "Read `ipeco db logs`, remove the cause, then run `ipeco db stop` and `ipeco db start`.",
    },
}

"""The words of the guarded Cypher runner and the query console: refusals, errors and notices.

Every error of :mod:`graph.query` carries the sentence in both languages (``QueryError.text``), so
``ipeco query --lang ja`` and the console say it wholly in the reader's language; the sentences live
here, keyed ``qerr.<what>``. Cypher keywords, setting names and commands stay as written: they are
what the reader types.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "qerr.refused": {"ja": "拒否しました: {reason}", "en": "refused: {reason}"},
    "qerr.admin": {
        "ja": "拒否しました: 管理・スキーマのコマンド（ユーザー、ロール、権限、データベース、インデックス、制約、"
        "dbms プロシージャ）は分析クエリからは実行できません",
        "en": "refused: administration and schema commands (users, roles, privileges, databases, indexes, "
        "constraints, dbms procedures) cannot be run from an analyst query",
    },
    "qerr.other_db": {
        "ja": "拒否しました: データベース `{target}` に対するクエリです。ここで照会できるのは `{database}` だけです",
        "en": "refused: the query runs on the database `{target}`; only `{database}` can be queried here",
    },
    "qerr.load_csv": {
        "ja": "拒否しました: LOAD CSV はサーバーのファイルや URL を読むため、分析クエリでは使えません",
        "en": "refused: LOAD CSV reads files or URLs from the server and is not allowed in analyst queries",
    },
    "qerr.in_transactions": {
        "ja": "拒否しました: CALL { … } IN TRANSACTIONS は独自にコミットするため、分析クエリでは使えません",
        "en": "refused: CALL { … } IN TRANSACTIONS commits on its own and is not allowed in analyst queries",
    },
    "qerr.procedure": {
        "ja": "拒否しました: プロシージャ `{proc}` は使えません。使えるのは {allowed} です",
        "en": "refused: the procedure `{proc}` is not allowed; allowed procedures are {allowed}",
    },
    "qerr.show": {
        "ja": "拒否しました: `{command}` はサーバーを調べる・操作するコマンドのため、分析クエリからは実行できません。"
        "SHOW INDEXES、SHOW CONSTRAINTS、SHOW PROCEDURES、SHOW FUNCTIONS は使えます",
        "en": "refused: `{command}` inspects or controls the server and cannot be run from an analyst query; "
        "SHOW INDEXES, SHOW CONSTRAINTS, SHOW PROCEDURES and SHOW FUNCTIONS are allowed",
    },
    "qerr.write": {
        "ja": "拒否しました: このクエリはグラフに書き込みます（CREATE、MERGE、SET、REMOVE、DELETE、FOREACH "
        "または書き込みプロシージャ）。実行できるのは読み取り専用のクエリだけです",
        "en": "refused: the query would write to the graph (CREATE, MERGE, SET, REMOVE, DELETE, FOREACH or a "
        "writing procedure); only read-only queries can be run",
    },
    "qerr.server_timeout": {
        "ja": "クエリがサーバー側の制限時間（db.transaction.timeout）を超えたため停止しました",
        "en": "the query ran longer than the server's own time limit (db.transaction.timeout) and was stopped",
    },
    "qerr.memory": {
        "ja": "クエリが 1 件あたりのメモリ上限（db.memory.transaction.max）を超えたため停止しました。"
        "集計・collect の量を減らすか LIMIT を付けてください",
        "en": "the query needed more memory than one query may use on this server (db.memory.transaction.max) "
        "and was stopped; aggregate or collect less, or add LIMIT",
    },
    "qerr.not_installed": {
        "ja": "プロシージャ `{proc}` は許可されていますが、このサーバーにはありません（古い版か Enterprise 版専用の"
        "可能性があります）。管理者に確認するか、SHOW PROCEDURES で使えるものを確かめてください",
        "en": "the procedure `{proc}` is allowed but not installed on this server (is it an older or "
        "Enterprise-only Neo4j?); ask its administrator, or use SHOW PROCEDURES to see what it has",
    },
    "qerr.system_db": {
        "ja": "拒否しました: `system` データベース（ユーザー、ロール、データベース）に対するクエリです。"
        "ここで照会できるのはグラフのデータベースだけです",
        "en": "refused: the query runs on the `system` database (users, roles, databases); only the graph "
        "database can be queried here",
    },
    "qerr.server_refused": {
        "ja": "拒否しました（サーバーの応答）: {said}",
        "en": "refused by the server: {said}",
    },
    "qerr.syntax_at": {
        "ja": "構文エラー（{line} 行 {column} 列）: {reason}",
        "en": "syntax error at line {line} column {column}: {reason}",
    },
    "qerr.syntax": {"ja": "構文エラー: {reason}", "en": "syntax error: {reason}"},
    "qerr.syntax_where": {"ja": "構文エラー: {reason}", "en": "syntax error at {reason}"},
    "qerr.failed": {
        "ja": "クエリが失敗しました（Neo4j の応答）: {said}（{code}）",
        "en": "the query failed: {said} ({code})",
    },
    "qerr.no_code": {"ja": "コードなし", "en": "no code"},
    "qerr.timeout": {
        "ja": "クエリが {seconds} 秒を超えたため停止しました",
        "en": "the query ran longer than {seconds} s and was stopped",
    },
    "qerr.param": {
        "ja": "パラメータは 名前=値 の形で、名前は英数字と _ で書いてください（{pair}）",
        "en": "--param expects name=value with a name of letters, digits and '_', got {pair}",
    },
    "qerr.needs_neo4j": {
        "ja": "Cypher クエリには Neo4j ストアが必要です（{store} ストアには Cypher エンジンがありません）。"
        "次の 1 行で切り替えられます: `{command}`（その後 ipeco に --store neo4j を付けて実行）",
        "en": "Cypher queries need the Neo4j store; this is the {store} store, which has no Cypher engine. "
        "Switch in one command: `{command}` (then run ipeco with --store neo4j)",
    },
    "qerr.connection_lost": {
        "ja": "クエリの実行中に Neo4j（{uri}）との接続が切れました。サーバーが停止または再起動しました。"
        "`ipeco db status` を確認してからもう一度実行してください",
        "en": "lost the connection to Neo4j at {uri} while running the query: the server stopped or "
        "restarted; check `ipeco db status` and run the query again",
    },
    "qerr.empty": {
        "ja": "クエリが空です。MATCH (n) RETURN n LIMIT 25 のような Cypher を入力してください",
        "en": "the query is empty; type a Cypher query such as MATCH (n) RETURN n LIMIT 25",
    },
    "qerr.no_saved": {
        "ja": "保存済みクエリ {query_id} はありません。あるのは {known} です",
        "en": "no saved query {query_id}; saved queries: {known}",
    },
    "qerr.cut_bytes": {
        "ja": "結果を {rows} 行（{size}）で打ち切りました: 次の行でデータ量の上限 {cap} を超えます。"
        "返す値を減らすか LIMIT を付けてください",
        "en": "result cut at {rows} rows ({size}): the next row would pass the payload cap of {cap}; "
        "return fewer or smaller values, or add LIMIT",
    },
    "qerr.cut_rows": {
        "ja": "最初の {limit} 行のみ表示しています。結果はさらにあります（行数の上限 {limit}）",
        "en": "showing the first {limit} rows: the result has more (row cap {limit})",
    },
    "qerr.user_busy": {
        "ja": "前のクエリがまだ実行中です。終わってからこのクエリを実行してください",
        "en": "your previous console query is still running; wait for it to finish, then run this one",
    },
    "qerr.all_busy": {
        "ja": "コンソールが混み合っています（同時に実行できる {total} 件が実行中です）。"
        "数秒後にもう一度実行してください",
        "en": "the console is busy: {total} queries are already running, the most it runs at once; try again in a "
        "few seconds",
    },
}

#: The guard's refusals (:mod:`graph.query_policy`): what the user wrote (``qpol.what.*``, when it is
#: not shown as typed) and why it may not run (``qpol.*``); ``qerr.refused`` puts them in one sentence.
WORDS.update(
    {
        "qpol.what.cypher_options": {"ja": "CYPHER の指定", "en": "CYPHER options"},
        "qpol.what.long_query": {"ja": "{chars} 文字のクエリ", "en": "a query of {chars} characters"},
        "qpol.what.nested_brackets": {
            "ja": "{depth} 段に入れ子になった括弧",
            "en": "brackets nested {depth} levels deep",
        },
        "qpol.what.procedure": {"ja": "手続き `{name}`", "en": "the procedure `{name}`"},
        "qpol.what.function": {"ja": "関数 `{name}`", "en": "the function `{name}`"},
        "qpol.what.function_call": {"ja": "関数 `{name}()`", "en": "the function `{name}()`"},
        "qpol.what.statements": {"ja": "複数の文", "en": "several statements"},
        "qpol.what.nested_replace": {"ja": "入れ子の replace()", "en": "nested replace()"},
        "qpol.what.nested_range": {"ja": "入れ子の range()", "en": "ranges iterated inside one another"},
        "qpol.what.regex_computed": {"ja": "正規表現 `=~ {text}`", "en": "the regular expression `=~ {text}`"},
        "qpol.what.regex": {"ja": "正規表現 {pattern}", "en": "the regular expression {pattern}"},
        "qpol.write": {
            "ja": "はグラフに書き込むため実行できません（ここでは読み取り専用のクエリだけを実行できます）",
            "en": "writes to the graph; only read-only queries can be run here",
        },
        "qpol.foreach": {
            "ja": "はグラフに書き込むため実行できません（ここでは読み取り専用のクエリだけを実行できます）",
            "en": "runs update clauses; only read-only queries can be run here",
        },
        "qpol.load_csv": {
            "ja": "はサーバーにファイルの読み込みやURLへのアクセスをさせるため実行できません"
            "（グラフの外には届きません）",
            "en": "makes the server read a file or fetch a URL; analyst queries cannot reach outside the graph",
        },
        "qpol.own_commit": {
            "ja": "は読み取り専用トランザクションの外で独自にコミットするため実行できません",
            "en": "commits on its own, outside the read-only transaction",
        },
        "qpol.use": {
            "ja": "は別のデータベースに切り替えるため実行できません（ここではストアのデータベースだけを照会できます）",
            "en": "switches to another database or graph; only the store's own database can be queried here",
        },
        "qpol.cypher_options": {
            "ja": "（バージョン・プランナー・ランタイムの指定）は受け付けません。指定なしで書いてください",
            "en": "(version, planner or runtime settings) are not accepted; write the query without them",
        },
        "qpol.once": {"ja": "は一度だけ指定できます", "en": "can be given once only"},
        "qpol.too_long": {
            "ja": "は上限 {limit} 文字を超えます。長い値はパラメータで渡してください",
            "en": "is over the limit of {limit}; pass long values as parameters",
        },
        "qpol.too_deep": {
            "ja": "は上限 {limit} 段を超えます。式を平たくしてください（WITH で段階に分けられます）",
            "en": "are over the limit of {limit}; flatten the expression (WITH steps help)",
        },
        "qpol.range_computed": {
            "ja": "の範囲が計算式です。range() の境界は整数・パラメータ・定数（WITH 5 AS k）とその演算、"
            "またはリストの size()/length() に限ります（巨大なリストは作り始めると Neo4j が止められません）",
            "en": "has a computed bound: range() bounds must be integers, parameters, constants (WITH 5 AS k) and "
            "arithmetic on them, or size()/length() of a list, because Neo4j cannot stop a huge list once it "
            "is being built",
        },
        "qpol.range_span": {
            "ja": "は {span} 個の値を持ち、上限 {limit} を超えます（一つの式の中では Neo4j が止められません）",
            "en": "spans {span} values, over the limit of {limit}: Neo4j cannot stop such a list inside one expression",
        },
        "qpol.procedure_plugin": {
            "ja": "はプラグイン（APOC・GDS など）のもので、ipeco の Neo4j Community には入っておらず、"
            "読み取り専用の許可リスト（{allowed}）にもありません",
            "en": "comes from a plugin (APOC, GDS …) that ipeco's Neo4j Community does not install, and is not on "
            "the read-only allowlist ({allowed})",
        },
        "qpol.procedure_unknown": {
            "ja": "は Neo4j Community 5.26 の手続きではありません（Enterprise 専用か綴りの誤り）。"
            "許可されているのは {allowed} です",
            "en": "is not a Neo4j Community 5.26 procedure (it may be Enterprise-only or a typo); "
            "allowed procedures are {allowed}",
        },
        "qpol.procedure_server": {
            "ja": "はグラフを読むのではなくサーバーを変更・調査する手続きで"
            "、読み取り専用の許可リスト（{allowed}）にありません",
            "en": "changes or inspects the server rather than reading the graph, and is not on the read-only "
            "allowlist ({allowed})",
        },
        "qpol.function_plugin": {
            "ja": "は Neo4j の組み込み関数ではありません（APOC などのプラグイ"
            "ンは ipeco の Neo4j Community に入っていません）",
            "en": "is not a Neo4j built-in function (plugins such as APOC are not installed with ipeco's Neo4j "
            "Community)",
        },
        "qpol.function_load_csv": {"ja": "は LOAD CSV 用の関数です", "en": "belongs to LOAD CSV"},
        "qpol.function_unknown": {
            "ja": "は Neo4j 5.26 の組み込み関数ではありません（綴りを確認してください。SHOW FUNCTIONS で一覧できます）",
            "en": "is not a Neo4j 5.26 built-in function (check the spelling; SHOW FUNCTIONS lists them)",
        },
        "qpol.function_other": {
            "ja": "は別のグラフを選ぶなど、読み取り専用の許可リストにありません",
            "en": "picks another graph or is otherwise not on the read-only allowlist",
        },
        "qpol.command_show": {
            "ja": "はグラフではなくサーバーを調査・操作するコマンドです。SHOW INDEXES・SHOW CONSTRAINTS・"
            "SHOW PROCEDURES・SHOW FUNCTIONS は使えます",
            "en": "inspects or controls the server rather than the graph; SHOW INDEXES, SHOW CONSTRAINTS, "
            "SHOW PROCEDURES and SHOW FUNCTIONS are allowed",
        },
        "qpol.command_admin": {
            "ja": "はスキーマの変更または DBMS の管理"
            "（ユーザー・ロール・権限・データベース・索引・制約）を行うため実行できません",
            "en": "changes the schema or administers the DBMS (users, roles, privileges, databases, indexes, "
            "constraints)",
        },
        "qpol.statements": {
            "ja": "が含まれています。一度に一つずつ実行してください",
            "en": "were given; run one statement at a time",
        },
        "qpol.growth": {
            "ja": "{why}（一つの式の中で伸びる文字列やリストはサーバーのメモリを使い果たし得て"
            "、Neo4j は途中で止められません）",
            "en": "{why}: a string or list that grows inside one expression can exhaust the server's memory, and "
            "Neo4j cannot stop it halfway",
        },
        "qpol.grow_self": {
            "ja": "は `{name}` をそれ自身と連結し、倍々に伸ばします",
            "en": "concatenates `{name}` with itself, which doubles it",
        },
        "qpol.grow_replace": {
            "ja": "は段ごとに文字列の長さを掛け算で伸ばします",
            "en": "multiply the length of a string at every level",
        },
        "qpol.grow_reduce_twice": {
            "ja": "は累積変数 `{name}` を連結の中で 2 回以上使い、毎回倍に伸び得ます",
            "en": "uses its accumulator `{name}` more than once in a concatenation, so it can double at every step",
        },
        "qpol.grow_reduce_steps": {
            "ja": "は累積変数に {steps} 回連結し、上限 {limit} を超えます（毎回値全体をコピーします）",
            "en": "concatenates onto its accumulator {steps} times, over the limit of {limit}; each step copies "
            "the whole value",
        },
        "qpol.not_read_clause": {"ja": "は読み取り専用の句ではありません", "en": "is not a read-only clause"},
        "qpol.nested_range": {
            "ja": "は一つの式の中で {steps} 回の反復になり"
            "、上限 {limit} を超えます（Neo4j は式の途中で止められません）",
            "en": "make {steps} steps inside one expression, over the limit of {limit} (Neo4j cannot stop an "
            "expression halfway)",
        },
        "qpol.regex_computed": {
            "ja": "のパターンが計算式です。実行前に検査できるよう"
            "、文字列リテラルか文字列パラメータ（またはその連結）にしてください",
            "en": "is computed: a pattern must be a string literal or a string parameter (or a concatenation of "
            "them), so that it can be checked before it runs",
        },
        "qpol.regex_slow": {
            "ja": "は数時間かかり得て、Neo4j は照合を途中で止められません（{problem}）",
            "en": "could run for hours and Neo4j cannot interrupt a match: {problem}",
        },
    }
)

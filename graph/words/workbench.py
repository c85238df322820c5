"""The words of the producer's workbench (issue 22): upload, preview, history, undo, edits, roles."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "nav.workbench": {"ja": "データ登録", "en": "Data entry"},
    "nav.history": {"ja": "履歴", "en": "History"},
    "wb.title": {"ja": "データ登録", "en": "Data entry"},
    "wb.intro": {
        "ja": "標準テンプレート（CSV または XLSX）をアップロードすると、書き込む前に検証結果と変更の一覧を表示します。",
        "en": "Upload a sheet in the canonical template (CSV or XLSX): it is checked, and what would change is "
        "shown, before anything is written.",
    },
    "wb.local_editor": {
        "ja": "ログインなしの単独利用のため、あなたは編集者として記録を書き込めます（記録者名: local）。",
        "en": "Single-user run without a login: you are an editor and may write records (recorded as: local).",
    },
    "wb.viewer": {
        "ja": "閲覧のみの権限です。データの登録・修正には編集者の権限が必要です。",
        "en": "You may view only; entering or correcting data needs an editor's role.",
    },
    "wb.region_refused": {
        "ja": "この地域（{region}）への書き込み権限がありません。",
        "en": "You may not write to this region ({region}).",
    },
    "wb.upload": {
        "ja": "ファイルをここにドロップ、またはクリックして選択",
        "en": "Drop files here, or click to choose",
    },
    "wb.template_empty": {"ja": "空のテンプレート (XLSX)", "en": "Empty template (XLSX)"},
    "wb.template_region": {"ja": "この地域の現在のデータ (XLSX)", "en": "This region's current data (XLSX)"},
    "wb.errors_title": {
        "ja": "{n}件の誤りがあります。何も書き込んでいません。",
        "en": "{n} error(s) found; nothing was written.",
    },
    "wb.col.file": {"ja": "ファイル", "en": "File"},
    "wb.col.sheet": {"ja": "シート", "en": "Sheet"},
    "wb.col.line": {"ja": "行", "en": "Line"},
    "wb.col.field": {"ja": "項目", "en": "Field"},
    "wb.col.problem": {"ja": "内容", "en": "Problem"},
    "wb.col.record": {"ja": "記録", "en": "Record"},
    "wb.col.before": {"ja": "変更前", "en": "Before"},
    "wb.col.after": {"ja": "変更後", "en": "After"},
    "wb.preview_title": {
        "ja": "プレビュー: 追加 {added}件・変更 {changed}件・変更なし {unchanged}件",
        "en": "Preview: {added} added, {changed} changed, {unchanged} unchanged",
    },
    "wb.action.added": {"ja": "追加", "en": "added"},
    "wb.action.changed": {"ja": "変更", "en": "changed"},
    "wb.action.removed": {"ja": "削除", "en": "removed"},
    "wb.action.unchanged": {"ja": "変更なし", "en": "unchanged"},
    "wb.commit": {"ja": "この内容で登録する", "en": "Commit"},
    "wb.committed": {
        "ja": "変更セット {id} として登録しました（{n}件）。地図とワークリストに反映済みです。",
        "en": "Committed as change set {id} ({n} records); the map and the worklist show it now.",
    },
    "wb.nothing": {"ja": "書き込む変更はありません。", "en": "Nothing to write: every record is unchanged."},
    "wb.stale_preview": {
        "ja": "プレビューの後にデータが変更されました。何も書き込んでいません。もう一度プレビューしてください。",
        "en": "The data changed after the preview; nothing was written. Preview again.",
    },
    "wb.no_file": {"ja": "先にファイルをアップロードしてください。", "en": "Upload a file first."},
    "wb.unreadable": {
        "ja": "ファイルを読めません（{name}）。標準テンプレートの CSV または XLSX を選んでください。",
        "en": "Cannot read {name}: choose a CSV or XLSX file in the canonical template.",
    },
    "conflict.changed_since": {
        "ja": "開いた後に他の人が変更しました（{records}）。何も失われていません。再読み込みしてやり直してください。",
        "en": "Changed since you opened it ({records}); nothing was lost. Reload and edit again.",
    },
    "conflict.later_change": {
        "ja": "後の変更セット {later} が同じ記録を変更しています（{records}）。先にそちらを取り消してください。",
        "en": "Change set {later} changed the same records later ({records}); undo it first.",
    },
    "conflict.has_ties": {
        "ja": "他の記録がまだ参照しています（{records}）。何も書き込んでいません。",
        "en": "Other records still point at {records}; nothing was written.",
    },
    "conflict.already_undone": {
        "ja": "この変更セットは変更セット {later} で取り消し済みです。",
        "en": "This change set was already undone by change set {later}.",
    },
    "history.title": {"ja": "変更履歴", "en": "Change history"},
    "history.empty": {"ja": "まだ変更セットはありません。", "en": "No change sets yet."},
    "history.col.id": {"ja": "番号", "en": "No."},
    "history.col.at": {"ja": "日時 (UTC)", "en": "Time (UTC)"},
    "history.col.kind": {"ja": "種類", "en": "Kind"},
    "history.col.author": {"ja": "記録者", "en": "Author"},
    "history.col.summary": {"ja": "内容", "en": "Summary"},
    "history.col.counts": {"ja": "件数", "en": "Records"},
    "history.col.state": {"ja": "状態", "en": "State"},
    "history.counts": {"ja": "追加{added}・変更{changed}・削除{removed}", "en": "+{added} ~{changed} -{removed}"},
    "history.undone_by": {"ja": "取消済（{id}）", "en": "undone by {id}"},
    "history.undoes": {"ja": "{id} の取消", "en": "undoes {id}"},
    "history.undo": {"ja": "取り消す", "en": "Undo"},
    "history.undone": {
        "ja": "変更セット {id} を取り消しました（変更セット {new}）。",
        "en": "Undid change set {id} (change set {new}).",
    },
    "history.kind.upload": {"ja": "アップロード", "en": "upload"},
    "history.kind.edit": {"ja": "編集", "en": "edit"},
    "history.kind.engagement": {"ja": "伴走支援の記録", "en": "accompaniment"},
    "history.kind.undo": {"ja": "取消", "en": "undo"},
    "edit.title": {"ja": "記録の追加・修正", "en": "Add or correct a record"},
    "edit.add_tie": {"ja": "つながりを追加", "en": "Add a tie"},
    "edit.type": {"ja": "種類", "en": "Type"},
    "edit.kind": {"ja": "区分", "en": "Kind"},
    "edit.counterpart": {"ja": "相手（名称で検索）", "en": "Counterpart (search by name)"},
    "edit.phase": {"ja": "段階", "en": "Phase"},
    "edit.programme": {"ja": "施策", "en": "Programme"},
    "edit.date": {"ja": "日付 (YYYY-MM-DD)", "en": "Date (YYYY-MM-DD)"},
    "edit.evidence": {"ja": "根拠 URL", "en": "Evidence URL"},
    "edit.outcome": {"ja": "成果（短く）", "en": "Outcome (a few words)"},
    "edit.engagement": {
        "ja": "伴走支援として記録（自チームの記録）",
        "en": "Record as our accompaniment (team record)",
    },
    "edit.save": {"ja": "保存", "en": "Save"},
    "edit.field": {"ja": "項目", "en": "Field"},
    "edit.value": {"ja": "新しい値", "en": "New value"},
    "edit.correct": {"ja": "項目を修正", "en": "Correct a field"},
    "edit.saved": {"ja": "変更セット {id} として保存しました。", "en": "Saved as change set {id}."},
    "edit.bad": {
        "ja": "入力に誤りがあります（{n}件）。何も書き込んでいません:",
        "en": "{n} problem(s); nothing was written:",
    },
    "edit.no_counterpart": {
        "ja": "相手「{name}」が見つかりません。名称の一部で検索してください。",
        "en": "No organisation named {name!r}; search by part of its name.",
    },
    "edit.producer_badge": {"ja": "自チームの記録（{author}）", "en": "Team record ({author})"},
    "wb.problem.encoding": {
        "ja": "文字コードを読めません。UTF-8 または Shift-JIS (cp932) で保存してください",
        "en": "The file's encoding cannot be read; save it as UTF-8 or Shift-JIS (cp932)",
    },
    "wb.problem.formula": {
        "ja": "数式は受け付けません。値を入力してください",
        "en": "A formula is not a value; type the value",
    },
    "wb.problem.required": {"ja": "必須の項目が空です", "en": "A required field is empty"},
    "wb.problem.url": {"ja": "http(s) の URL ではありません", "en": "Not an http(s) URL"},
    "wb.problem.future": {"ja": "未来の日付です", "en": "A date in the future"},
    "wb.problem.unknown_end": {
        "ja": "相手が見つかりません（このファイルにもデータにもありません）",
        "en": "The counterpart exists neither in this file nor in the data",
    },
    "wb.problem.not_template": {
        "ja": "標準テンプレートではありません（nodes / relationships の表が必要です）",
        "en": "Not the canonical template (nodes / relationships tables expected)",
    },
    "wb.problem.choice": {"ja": "選択肢にない値です", "en": "Not one of the allowed values"},
    "wb.problem.region": {"ja": "編集権限のない地域です", "en": "A region you may not edit"},
    "wb.problem.format": {"ja": "値の形式が違います", "en": "The value has the wrong form"},
    "wb.problem.other": {"ja": "内容を確認してください", "en": "Check this value"},
    "workbench.refused.role": {"ja": "この操作には編集者の権限が必要です", "en": "this needs an editor's role"},
    "workbench.refused.csrf": {
        "ja": "要求を確認できませんでした。ページを再読み込みしてください",
        "en": "the request could not be verified; reload the page",
    },
    # producer records counted apart from the public ties (report, compare page, ipeco stats)
    "engagements.not_counted": {
        "ja": "自チームの伴走支援の記録 {n} 件は数えていません（公開情報のつながりのみ）",
        "en": "{n} producer records not counted (public ties only)",
    },
    "engagements.not_counted_in": {
        "ja": "{region}: 自チームの伴走支援の記録 {n} 件は数えていません（公開情報のつながりのみ）",
        "en": "{region}: {n} producer records not counted (public ties only)",
    },
    # the upload preview's map (issue 22)
    "wb.map.title": {
        "ja": "登録後の地域の地図（{regions}）",
        "en": "The region after this upload ({regions})",
    },
    "wb.map.capped": {
        "ja": "{total} 機関のうち、追加・変更された機関を先に {shown} 機関を表示しています。",
        "en": "Showing {shown} of {total} organisations, the added and changed ones first.",
    },
    "wb.map.added": {"ja": "追加される機関・つながり（緑の太線）", "en": "Added organisations and ties (thick green)"},
    "wb.map.changed": {
        "ja": "変更される機関・つながり（橙の破線）",
        "en": "Changed organisations and ties (dashed orange)",
    },
}

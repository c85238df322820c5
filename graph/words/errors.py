"""The words of the error page: what a reader sees when something failed that they cannot fix by retyping."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "error.title": {"ja": "表示できませんでした", "en": "This could not be shown"},
    "error.body": {
        "ja": "予期しないエラーが起きました。内容はサーバーのログに記録しました。"
        "ページを読み込み直すか、別の地域・条件でお試しください。",
        "en": "An unexpected error occurred and was written to the server's log. "
        "Reload the page, or try another region or filter.",
    },
    "auth.too_many": {
        "ja": "ログインの失敗が多すぎます。しばらく待ってから再試行してください",
        "en": "too many failed logins; wait and try again",
    },
    "error.server": {
        "ja": "サーバーでエラーが起きました（500）。内容はサーバーのログに記録しました。",
        "en": "The server met an error (500). It was written to the server's log.",
    },
}

"""The words of the map's SVG export (issue 23), drawn on the server from what the browser shows."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "svg.bad_view": {
        "ja": "地図の表示内容を読み取れませんでした（{field}）。ページを再読み込みしてもう一度お試しください。",
        "en": "the map's view could not be read ({field}); reload the page and try again.",
    },
    "svg.label": {"ja": "{title}（ネットワーク図）", "en": "{title} (network diagram)"},
}

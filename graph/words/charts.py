"""The words of the server-drawn charts (issue 23): what a bar chart says about itself beside its data."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "chart.compare.label": {
        "ja": "主要指標の地域別棒グラフ",
        "en": "Key indicators by region, as bar charts",
    },
    "chart.x_axis.regions": {"ja": "地域（色は凡例のとおり）", "en": "Regions (colours as in the legend)"},
}

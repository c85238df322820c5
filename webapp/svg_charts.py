"""Small bar charts drawn on the server as one inline SVG string.

Why not Plotly: the compare page's chart is static (no zoom, no mode bar), yet one ``dcc.Graph``
made Dash load plotly.js (1.2 MB even in its basic build) on the page's first visit, and parsing
it was most of what kept the page slower than an empty one. The same bars as SVG text cost the
browser nothing but layout; each bar's ``<title>`` is its tooltip, the legend names the colours.

The words come from the caller (already in the page's language, from ``graph.words``) and every
one is escaped here; numbers are printed as the reports print them (``reports.formatting``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from reports.formatting import number, percent

__all__ = ["Bar", "BarChart", "BarPanel", "bar_chart_svg", "nice_ceiling"]

#: Geometry of the drawing (viewBox units; the SVG scales to its container's width).
WIDTH = 960
_PAD = 12
_LEGEND_ROW = 24
_PANEL_HEIGHT = 220
_PLOT_TOP = 34  # below the panel's title
_PLOT_HEIGHT = 132
_AXIS_LEFT = 52  # room for the tick labels
_FONT = "'Noto Sans CJK JP', 'Noto Sans', sans-serif"


@dataclass(frozen=True)
class Bar:
    """One region's bar: its value (``None``: no bar, not a zero) and the value as the page prints it."""

    value: float | None
    text: str


@dataclass(frozen=True)
class BarPanel:
    """One indicator: its name (the panel's title), its definition (the tooltip) and one bar per series."""

    title: str
    definition: str
    bars: tuple[Bar, ...]
    share: bool = False


@dataclass(frozen=True)
class BarChart:
    """Panels of bars that share one legend: series names and colours in the bars' order."""

    label: str
    series: tuple[str, ...]
    colours: tuple[str, ...]
    panels: tuple[BarPanel, ...]
    x_axis: str
    lang: str = "ja"
    columns: int = 3


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × a power of ten that is ≥ ``value``: the top of a readable axis."""
    if not value > 1e-12 or not math.isfinite(value):  # nothing to scale to (a tiny value draws as no height)
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10.0 * power  # pragma: no cover - the loop's last step always holds


def _text(x: float, y: float, body: str, *, size: int = 11, anchor: str = "middle", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>{escape(body)}</text>'


def _text_width(text: str) -> float:
    """A name's width at 13 px, estimated (the server has no font metrics): a CJK glyph is a full em."""
    return sum(13.0 if ord(ch) >= 0x2E80 else 7.5 for ch in text)


def _legend(chart: BarChart) -> tuple[str, float]:
    """The legend (a swatch and a name per series, wrapped in rows) and the height it takes."""
    parts, x, y = [], float(_PAD), float(_PAD)
    for name, colour in zip(chart.series, chart.colours, strict=True):
        width = 22 + _text_width(name) + 18  # swatch, name, gap
        if x + width > WIDTH - _PAD and x > _PAD:
            x, y = float(_PAD), y + _LEGEND_ROW
        parts.append(
            f'<g class="legend-item"><rect x="{x:.1f}" y="{y:.1f}" width="14" height="14" '
            f'fill="{escape(colour)}"/>{_text(x + 20, y + 12, name, size=13, anchor="start")}</g>'
        )
        x += width
    return '<g class="legend">' + "".join(parts) + "</g>", y - _PAD + _LEGEND_ROW + 6


def _tick_text(value: float, chart: BarChart, share: bool) -> str:
    if share:
        return percent(value)
    rounded = round(value, 6)
    return number(int(rounded) if float(rounded).is_integer() else rounded, chart.lang)


def _axis(chart: BarChart, panel: BarPanel, left: float, top: float, width: float, top_value: float) -> str:
    """Grid lines and tick labels at 0, half and the top of the axis, and the baseline."""
    parts = []
    for fraction in (0.0, 0.5, 1.0):
        y = top + _PLOT_HEIGHT * (1 - fraction)
        parts.append(f'<line x1="{left:.1f}" x2="{left + width:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        tick = _tick_text(top_value * fraction, chart, panel.share)
        parts.append(_text(left - 4, y + 4, tick, size=10, anchor="end", extra=' fill="#555"'))
    base = top + _PLOT_HEIGHT
    parts.append(f'<line x1="{left:.1f}" x2="{left + width:.1f}" y1="{base:.1f}" y2="{base:.1f}" stroke="#888"/>')
    return "".join(parts)


def _bars(chart: BarChart, panel: BarPanel, left: float, top: float, width: float, top_value: float) -> str:
    """One rectangle per series with a value, its height proportional to the value, and the value above it."""
    slot = width / max(len(panel.bars), 1)
    bar_width = slot * 0.7
    parts = []
    for i, (bar, name, colour) in enumerate(zip(panel.bars, chart.series, chart.colours, strict=True)):
        if bar.value is None or not math.isfinite(bar.value):
            continue  # no bar, not a zero (the value's text still shows in the table)
        height = _PLOT_HEIGHT * max(bar.value, 0.0) / top_value
        x = left + slot * i + (slot - bar_width) / 2
        y = top + _PLOT_HEIGHT - height
        tip = f"{name}: {bar.text} — {panel.definition}" if panel.definition else f"{name}: {bar.text}"
        parts.append(
            f'<rect class="bar" x="{x:.2f}" y="{y:.2f}" width="{bar_width:.2f}" height="{height:.2f}" '
            f'fill="{escape(colour)}" data-value="{bar.value!r}"><title>{escape(tip)}</title></rect>'
        )
        parts.append(_text(x + bar_width / 2, y - 3, bar.text, size=10, extra=' class="bar-value"'))
    return "".join(parts)


def _panel(chart: BarChart, panel: BarPanel, index: int, top: float) -> str:
    """One indicator's panel: title (definition on hover), axis, bars and the x axis' name."""
    cell = (WIDTH - 2 * _PAD) / chart.columns
    x0 = _PAD + cell * (index % chart.columns)
    y0 = top + _PANEL_HEIGHT * (index // chart.columns)
    left, plot_top, width = x0 + _AXIS_LEFT, y0 + _PLOT_TOP, cell - _AXIS_LEFT - 10
    values = [b.value for b in panel.bars if b.value is not None and math.isfinite(b.value)]
    top_value = nice_ceiling(max(values, default=0.0))
    title = _text(x0 + cell / 2, y0 + 18, panel.title, size=13, extra=' font-weight="bold" class="panel-title"')
    return (
        f'<g class="panel"><title>{escape(panel.definition)}</title>{title}'
        + _axis(chart, panel, left, plot_top, width, top_value)
        + _bars(chart, panel, left, plot_top, width, top_value)
        + _text(left + width / 2, plot_top + _PLOT_HEIGHT + 22, chart.x_axis, size=11, extra=' fill="#555"')
        + "</g>"
    )


def bar_chart_svg(chart: BarChart) -> str:
    """The chart as one ``<svg>`` element: the legend on top, then the panels, ``columns`` a row."""
    legend, legend_height = _legend(chart)
    top = _PAD + legend_height
    rows = math.ceil(len(chart.panels) / chart.columns)
    height = top + _PANEL_HEIGHT * rows
    panels = "".join(_panel(chart, panel, i, top) for i, panel in enumerate(chart.panels))
    label = escape(chart.label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-label="{label}" font-family="{_FONT}">'
        f'<title>{label}</title><rect width="100%" height="100%" fill="#fff"/>{legend}{panels}</svg>'
    )

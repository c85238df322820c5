"""Server-drawn bar charts (issue 23): the compare page's key indicators as one inline SVG, no Plotly.

A tiny chart with known bars: heights proportional to the values on a readable axis, a missing
value drawn as no bar (not a zero), every word escaped, colours and legend in the series' order.
"""

from __future__ import annotations

import math
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.svg_charts import Bar, BarChart, BarPanel, bar_chart_svg, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def chart(panels: tuple[BarPanel, ...], series: tuple[str, ...] = ("A & B", "<C>", "D")) -> BarChart:
    colours = ("#E69F00", "#56B4E9", "#009E73")[: len(series)]
    return BarChart(
        label="Key <indicators>", series=series, colours=colours, panels=panels, x_axis="Regions", lang="en"
    )


def bars_of(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return [e for e in svg.iter(f"{SVG}rect") if e.get("class") == "bar"]


def test_heights_are_proportional_and_a_missing_value_is_no_bar() -> None:
    panel = BarPanel("Ties", 'Links "between" organisations', (Bar(10, "10"), Bar(None, "—"), Bar(25, "25")))
    svg = ElementTree.fromstring(bar_chart_svg(chart((panel,))))
    bars = bars_of(svg)
    assert [b.get("fill") for b in bars] == ["#E69F00", "#009E73"]  # the series' colours, the gap skipped
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights[1] / heights[0] == pytest.approx(2.5, rel=1e-3)
    # the axis tops out at a round number (25 → 25), so the tallest bar fills the plot
    bottoms = {round(float(b.get("y", "0")) + float(b.get("height", "0")), 1) for b in bars}
    assert len(bottoms) == 1  # every bar stands on the same baseline
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "12.5", "25"]
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-value"]
    assert values == ["10", "25"]


def test_words_are_escaped_and_readable_as_text() -> None:
    panel = BarPanel("Share <of> firms", "A & B's share", (Bar(0.5, "50%"), Bar(0.25, "25%"), Bar(1.0, "100%")), True)
    text = bar_chart_svg(chart((panel,)))
    assert "<C>" not in text and "&lt;C&gt;" in text and "A &amp; B" in text
    svg = ElementTree.fromstring(text)  # well-formed XML: the escaping holds
    assert svg.get("aria-label") == "Key <indicators>"
    legend = [g.find(f"{SVG}text").text for g in svg.iter(f"{SVG}g") if g.get("class") == "legend-item"]
    assert legend == ["A & B", "<C>", "D"]
    titles = [b.find(f"{SVG}title").text for b in bars_of(svg)]
    assert titles[0] == "A & B: 50% — A & B's share"
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0%", "50%", "100%"]  # a share's axis in percent


def test_panels_are_laid_out_in_rows_of_columns() -> None:
    panels = tuple(BarPanel(f"P{i}", "", (Bar(i + 1, str(i + 1)),)) for i in range(5))
    svg = ElementTree.fromstring(bar_chart_svg(chart(panels, series=("Only",))))
    titles = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "panel-title"]
    assert [t.text for t in titles] == ["P0", "P1", "P2", "P3", "P4"]
    rows = sorted({float(t.get("y", "0")) for t in titles})
    assert len(rows) == 2  # 3 columns: two rows
    width, height = (float(v) for v in svg.get("viewBox", "").split()[2:])
    assert all(0 < float(t.get("x", "0")) < width for t in titles) and rows[-1] < height


@given(st.floats(min_value=1e-6, max_value=1e12, allow_nan=False))
def test_the_axis_top_is_round_and_holds_the_value(value: float) -> None:
    top = nice_ceiling(value)
    assert value <= top * (1 + 1e-9) and top <= value * 4 + 1e-12
    mantissa = top / 10 ** math.floor(math.log10(top) + 1e-12)
    assert any(mantissa == pytest.approx(m) for m in (1, 2, 2.5, 5, 10))


@given(
    st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1e9), st.just(float("nan"))), min_size=1, max_size=6)
)
def test_every_value_is_one_bar_no_taller_than_the_plot(values: list[float | None]) -> None:
    series = tuple(f"R{i}" for i in range(len(values)))
    panel = BarPanel("X", "", tuple(Bar(v, "v") for v in values))
    colours = tuple("#000" for _ in values)
    svg = ElementTree.fromstring(
        bar_chart_svg(BarChart("L", series, colours, (panel,), "Regions", lang="en", columns=3))
    )
    heights = [float(b.get("height", "0")) for b in bars_of(svg)]
    assert len(heights) == sum(v is not None and v == v for v in values)  # NaN: no bar, as None
    assert all(0 <= h <= 132 + 1e-6 for h in heights)

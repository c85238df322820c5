"""The map in time (issue 21): a fiscal-year slider that redraws the region as of that year.

The map page keeps its own drawing; this module gives it the year's view, measures and the marking
of newly appearing ties, and the slider itself (components + callbacks), so that the map page needs
only a few one-line hooks:

* the slider's value is one of the map's controls and ``MapState.year`` (kept in the URL as
  ``year=2023``; no ``year`` is today's view, with every tie, dated or not);
* the region's view for a year is :meth:`analytics.timeline.Timeline.view` (the one snapshot
  definition), and its node sizes come from that year's organisation graph;
* node positions stay those of today's view (the map lays a region out once, unfiltered), so a node
  that is there in both years does not move when the slider does;
* ties that appear in the chosen year carry the ``time-new`` class (drawn thick and orange).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import networkx as nx
from dash import Input, Output, State, dcc, html

from analytics.orggraph import organisation_graph
from analytics.timeline import Timeline
from graph.errors import IpecoError
from graph.snapshots import fiscal_year_of, tie_start
from graph.store import StoreUnavailable
from graph.words import fiscal_year, t
from reports.timeline import undated_line
from webapp import ids
from webapp.components import labelled
from webapp.data import DataSource
from webapp.elements import MapResult
from webapp.state import MapState

__all__ = [
    "NEW_TIE",
    "UNDATED",
    "YEAR",
    "mark_new_ties",
    "register",
    "slider",
    "slider_year",
    "today_value",
    "undated_text",
    "year_measures",
    "year_of",
    "year_view",
]

#: The slider's component id (one of the map's controls) and the line counting undated items.
YEAR: str = "map-time-year"
UNDATED: str = "map-time-undated"
#: Element class of a tie that first appears in the chosen year.
NEW_TIE = "time-new"


def today_value() -> int:
    """The slider's value for today's view (every tie, dated or not): the right-most mark.

    The fiscal year after the current one, so no data year can take it and a link that carries
    no ``year`` opens on today's view whatever the data's latest year is.
    """
    return (fiscal_year_of(date.today().isoformat()) or date.today().year) + 1


def slider_year(value: Any) -> str:
    """The ``MapState.year`` for a slider value: "" for today's view (the right-most mark)."""
    if value is None or not str(value).lstrip("-").isdigit() or int(value) >= today_value():
        return ""
    return str(int(value))


def year_of(state: MapState) -> int | None:
    """The fiscal year the map shows, or None for today's view."""
    return int(state.year) if state.year.isdigit() and int(state.year) < today_value() else None


def _timeline(ds: DataSource) -> Timeline:
    return Timeline(ds.service)


def year_view(ds: DataSource, state: MapState) -> nx.MultiDiGraph | None:
    """The region as of the state's year (None for today's view: the map uses its own)."""
    year = year_of(state)
    if year is None:
        return None
    return _timeline(ds).view(state.region, year, real_only=state.data == "real")


def year_measures(ds: DataSource, state: MapState, needs: set[str]) -> dict[str, Any] | None:
    """The year's measures for sizing and colouring (None for today's view).

    Degree comes from the year's organisation graph; any other measure from the year's analysis
    (:meth:`analytics.timeline.Timeline.analysis`, the service's own measures on that year's view).
    """
    year = year_of(state)
    if year is None:
        return None
    real_only = state.data == "real"
    if needs:
        analysis = _timeline(ds).analysis(state.region, year, real_only=real_only)
        return {node: row.as_dict() for node, row in analysis.nodes.items()}
    view = _timeline(ds).view(state.region, year, real_only=real_only)
    return {str(n): {"degree": int(d)} for n, d in organisation_graph(view).degree()}


def mark_new_ties(result: MapResult, view: nx.MultiDiGraph, state: MapState) -> MapResult:
    """``result`` with the ties that start in the state's year classed :data:`NEW_TIE`."""
    year = year_of(state)
    if year is None:
        return result
    new = {f"{u}|{d.get('type', '')}|{v}" for u, v, d in view.edges(data=True) if tie_start(d) == year}
    if not new:
        return result
    elements = [
        {**el, "classes": f"{el.get('classes', '')} {NEW_TIE}".strip()} if el.get("data", {}).get("id") in new else el
        for el in result.elements
    ]
    return replace(result, elements=elements)


def _marks(years: tuple[int, ...], lang: str) -> dict[int, Any]:
    """A tick for every year offered; a label on every fifth year (and on the first when the next fifth is
    3 or more years on), none within 2 years of today's mark, so the labels fit the sidebar."""
    today = today_value()

    def labelled(y: int) -> bool:
        first = y == years[0] and (-y) % 5 >= 3
        return (first or y % 5 == 0) and y <= today - 3

    # a blank label, not "": the slider shows the number itself where a label is empty
    marks: dict[int, Any] = {y: {"label": str(y) if labelled(y) else " "} for y in years}
    marks[today_value()] = {"label": t("time.slider.current", lang)}
    return marks


def slider(ds: DataSource, state: MapState) -> html.Div:
    """The fiscal-year slider (left: the oldest year offered; right-most: today's view)."""
    lang = state.lang
    try:
        years = _timeline(ds).years()
    except StoreUnavailable:
        years = ()
    if not years:
        return html.Div(id=UNDATED, hidden=True)
    today = today_value()
    year = year_of(state)
    value = year if year in years else today
    control = dcc.Slider(
        id=YEAR,
        min=years[0],
        max=today,
        step=None,
        marks=_marks(years, lang),
        value=value,
        included=False,
        updatemode="mouseup",
    )
    return html.Div(
        [
            labelled(t("time.slider", lang), control, YEAR),
            html.Small(undated_text(ds, value, state.region, lang), id=UNDATED, role="status"),
        ],
        className="time-slider",
    )


def register(app: Any, ds: DataSource) -> None:
    """The line under the slider: the year in words and what no year can hold.

    Not run when the page opens: the page comes with the line (:func:`slider`), so the map's start
    needs no call to the server besides the page itself.
    """

    @app.callback(
        Output(UNDATED, "children"),
        Input(YEAR, "value"),
        Input(ids.REGION, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def undated(value: Any, region: str, lang: str) -> str:
        return undated_text(ds, value, region, lang)


def undated_text(ds: DataSource, value: Any, region: str, lang: str) -> str:
    """The slider's line for the slider's ``value`` in ``region``: the year shown and the undated ties."""
    timeline = _timeline(ds)
    try:
        years = timeline.years()
        counts = len(timeline.undated(region)), timeline.undated_organisations(region)
    except IpecoError:
        return ""
    shown = slider_year(value) if years else ""
    if not shown:
        return f"{t('time.slider.current', lang)}: {undated_line(*counts, lang)}"
    return f"{fiscal_year(int(shown), lang)}: {undated_line(*counts, lang)} {t('time.new_ties', lang)}"

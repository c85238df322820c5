"""The region in time as readers see it: change rows and the journeys' Sankey (issue 21).

``ipeco changes``, the 地域の変化 page and the regional report print the same rows and draw the same
Sankey, so the words for a change (:func:`change_row`) and the Sankey's nodes and links
(:func:`sankey_data`) are built here once, from the typed results of :mod:`analytics.changes` and
:mod:`analytics.journeys`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analytics.changes import Change, RegionChanges
from analytics.journeys import RegionJourneys
from graph.schema import PHASES
from graph.words import change_kind_name, fiscal_year, phase_name, t, tie_words

__all__ = [
    "ChangeRow",
    "Sankey",
    "change_row",
    "change_rows",
    "journey_summary",
    "programme_names",
    "sankey_data",
    "undated_line",
]

#: Items of one kind shown before "…" on a printed page (the JSON and the web page list every item).
PRINTED_PER_KIND = 25


@dataclass(frozen=True)
class ChangeRow:
    """One change in words: its kind, what it concerns, its year and its first page (+ how many more)."""

    kind: str
    what: str
    year: str
    source: str
    sources: tuple[str, ...]
    synthetic: bool

    def cells(self) -> list[str]:
        return [self.kind, self.what, self.year, self.source]


def _tie_words(item: Change, lang: str) -> str:
    return tie_words(item.tie_type, item.tie_kind, lang) if item.tie_type else ""


def change_row(item: Change, lang: str) -> ChangeRow:
    """A change as a row: a tie reads ``A → B  TYPE (kind)``, a community lists its first members."""
    if item.kind in ("new_tie", "ended_tie"):
        what = f"{item.names[0]} → {item.names[1]}  {_tie_words(item, lang)}"
    elif item.kind == "new_bridge":
        what = f"{item.names[0]} — {item.names[1]}"
    elif item.kind in ("communities_merged", "community_split"):
        shown = t("form.list", lang).join(item.names[:5])
        what = f"{shown} …(+{len(item.names) - 5})" if len(item.names) > 5 else shown
    else:
        what = item.names[0]
    if item.synthetic:
        what += t("time.synthetic", lang)
    first = item.evidence[0] if item.evidence else t("common.none", lang)
    more = f" (+{len(item.evidence) - 1})" if len(item.evidence) > 1 else ""
    year = fiscal_year(item.year, lang) if item.year is not None else ""
    return ChangeRow(change_kind_name(item.kind, lang), what, year, first + more, item.evidence, item.synthetic)


def change_rows(changes: RegionChanges, lang: str, *, per_kind: int | None = None) -> list[ChangeRow]:
    """Every change as a row, or at most ``per_kind`` of each kind (a printed page)."""
    rows: list[ChangeRow] = []
    seen: dict[str, int] = {}
    for item in changes.items:
        seen[item.kind] = seen.get(item.kind, 0) + 1
        if per_kind is None or seen[item.kind] <= per_kind:
            rows.append(change_row(item, lang))
    return rows


def undated_line(ties: int, orgs: int, lang: str) -> str:
    """The sentence every surface shows under a year: what could not be placed in any year."""
    return t("time.undated", lang, ties=ties, orgs=orgs)


def journey_summary(journeys: RegionJourneys, lang: str) -> str:
    """How many firms have a journey, of how many supported (the real layer's count is shown as it is)."""
    return t(
        "journey.count",
        lang,
        supported=journeys.supported_firms,
        phased=journeys.phased_firms,
        journeys=len(journeys.journeys),
        synthetic=journeys.synthetic_journeys,
    )


@dataclass(frozen=True)
class Sankey:
    """Nodes (step × phase) and links (phase → phase by programme) of the journeys' Sankey."""

    labels: tuple[str, ...]
    phases: tuple[str, ...]
    sources: tuple[int, ...]
    targets: tuple[int, ...]
    values: tuple[int, ...]
    link_labels: tuple[str, ...]

    def plotly(self, colours: dict[str, str]) -> dict[str, Any]:
        """A plotly ``sankey`` trace (as a dict), nodes coloured by phase."""
        return {
            "type": "sankey",
            "arrangement": "snap",
            "node": {"label": list(self.labels), "color": [colours.get(p, "#888") for p in self.phases], "pad": 14},
            "link": {
                "source": list(self.sources),
                "target": list(self.targets),
                "value": list(self.values),
                "label": list(self.link_labels),
                "color": [_faded(colours.get(self.phases[t], "#888888")) for t in self.targets],
            },
        }


def _faded(colour: str, alpha: float = 0.35) -> str:
    """``#RRGGBB`` (or ``#RGB``) as ``rgba(r, g, b, alpha)``: a band coloured by the phase it reaches."""
    digits = colour.lstrip("#")
    digits = "".join(c * 2 for c in digits) if len(digits) == 3 else digits
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"


def sankey_data(journeys: RegionJourneys, lang: str, programmes: Mapping[str, str] | None = None) -> Sankey:
    """The Sankey of a region's journeys: one node per (step, phase), one link per flow and programme.

    ``programmes`` names the programme keys (``ip_window`` → 知財総合支援窓口); a key without a name stays.
    """
    index: dict[tuple[int, str], int] = {}
    labels: list[str] = []
    phases: list[str] = []

    def node(step: int, phase: str) -> int:
        if (step, phase) not in index:
            index[(step, phase)] = len(labels)
            labels.append(t("journey.step", lang, step=step + 1, phase=phase_name(phase, lang)))
            phases.append(phase)
        return index[(step, phase)]

    flows = sorted(journeys.flows, key=lambda f: (f.step, PHASES.index(f.source), PHASES.index(f.target)))
    sources, targets, values, names = [], [], [], []
    for flow in flows:
        sources.append(node(flow.step, flow.source))
        targets.append(node(flow.step + 1, flow.target))
        values.append(flow.count)
        names.append((programmes or {}).get(flow.programme, flow.programme) or t("journey.programme.none", lang))
    return Sankey(tuple(labels), tuple(phases), tuple(sources), tuple(targets), tuple(values), tuple(names))


def programme_names(graph: Any, lang: str) -> dict[str, str]:
    """Programme key → its name in ``lang`` (``name_en`` in English where recorded), for the Sankey's links."""
    from analytics.orggraph import programme_key

    out = {}
    for node, attrs in graph.nodes(data=True):
        if "Programme" in attrs.get("labels", ()):
            name = attrs.get("name_en") if lang == "en" else None
            out[programme_key(node, attrs)] = str(name or attrs.get("name") or node)
    return out


# --- the regional report's section --------------------------------------------------------------
#: Indicators the report tabulates by fiscal year (the Timeline's series keys).
REPORT_SERIES: tuple[str, ...] = ("n", "m", "components", "supported_firm_share")


@dataclass(frozen=True)
class TimeSection:
    """What the regional report prints about the region in time (issue 21)."""

    from_year: int
    to_year: int
    model_region_fy: int | None
    years: tuple[int, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    counts: tuple[tuple[str, int], ...]
    rows: tuple[ChangeRow, ...]
    shown: int
    total: int
    undated: str
    journeys: str
    sankey_svg: str | None


def region_time(service: Any, region: str, lang: str) -> TimeSection | None:
    """The report's section: indicators over the years, the changes since the year before the region
    became a model region (else the last three years), the journeys and their Sankey. None without dates."""
    from analytics.timeline import Timeline
    from graph.scope import region_id, region_key

    timeline = Timeline(service)
    years = timeline.years()
    if not years:
        return None
    key = region_key(region)
    fy = service.graph().nodes[region_id(key)].get("model_region_fy")
    end = years[-1]
    start = int(fy) - 1 if fy is not None and int(fy) - 1 < end else end - 2
    series = timeline.indicators(key)
    changes = timeline.changes(key, start, end)
    rows = change_rows(changes, lang, per_kind=PRINTED_PER_KIND)
    journeys = timeline.journeys(key)
    sankey = sankey_data(journeys, lang, programme_names(service.graph(), lang))
    return TimeSection(
        start,
        end,
        int(fy) if fy is not None else None,
        series.years,
        tuple((k, series.values(k)) for k in REPORT_SERIES),
        tuple((change_kind_name(k, lang), n) for k, n in changes.counts().items()),
        tuple(rows),
        len(rows),
        len(changes.items),
        undated_line(series.undated_ties, series.undated_organisations, lang),
        journey_summary(journeys, lang),
        sankey_svg(sankey) if sankey.values else None,
    )


def sankey_svg(sankey: Sankey, *, width: int = 640, height: int = 260) -> str:
    """The Sankey as a small static SVG for printed reports: one column per step, links as bands."""
    from html import escape

    steps = sorted({int(label_step) for label_step in _steps_of(sankey)})
    column = {s: i for i, s in enumerate(steps)}
    x_of = {n: 20 + column[s] * (width - 160) / max(1, len(steps) - 1) for n, s in enumerate(_steps_of(sankey))}
    size = [0] * len(sankey.labels)
    for s, tg, v in zip(sankey.sources, sankey.targets, sankey.values, strict=True):
        size[s] = max(size[s], 0) + v
        size[tg] += v
    scale = (height - 40) / max(1, max(sum(size[n] for n in x_of if x_of[n] == x) for x in set(x_of.values())))
    y_of, used, parts = {}, dict.fromkeys(set(x_of.values()), 10.0), []
    colours = {"ideation": "#E69F00", "launch": "#56B4E9", "expansion": "#009E73"}
    for n in range(len(sankey.labels)):
        y_of[n], used[x_of[n]] = used[x_of[n]], used[x_of[n]] + size[n] / 2 * scale + 12
    out_at, in_at = dict(y_of), dict(y_of)
    for s, tg, v in zip(sankey.sources, sankey.targets, sankey.values, strict=True):
        band = v * scale / 2
        x1, x2, y1, y2 = x_of[s] + 10, x_of[tg], out_at[s] + band / 2, in_at[tg] + band / 2
        out_at[s] += band
        in_at[tg] += band
        mid = (x1 + x2) / 2
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" '
            f'stroke="{colours.get(sankey.phases[tg], "#999")}" stroke-opacity="0.45" '
            f'stroke-width="{max(band, 1):.1f}" fill="none"/>'
        )
    for n, label in enumerate(sankey.labels):
        h = max(size[n] / 2 * scale, 2)
        parts.append(
            f'<rect x="{x_of[n]:.1f}" y="{y_of[n]:.1f}" width="10" height="{h:.1f}" '
            f'fill="{colours.get(sankey.phases[n], "#999")}"/>'
            f'<text x="{x_of[n] + 14:.1f}" y="{y_of[n] + 10:.1f}" font-size="10">{escape(label)}</text>'
        )
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">{"".join(parts)}</svg>'


def _steps_of(sankey: Sankey) -> list[int]:
    """The step of each Sankey node (nodes are made per step, first from sources, then targets)."""
    steps = [0] * len(sankey.labels)
    for s, tg in zip(sankey.sources, sankey.targets, strict=True):
        steps[tg] = steps[s] + 1
    return steps

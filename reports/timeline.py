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
from graph.words import change_kind_name, fiscal_year, phase_name, t

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


def _tie_words(item: Change) -> str:
    kind = f"（{item.tie_kind}）" if item.tie_kind else ""
    return f"{item.tie_type}{kind}" if item.tie_type else ""


def change_row(item: Change, lang: str) -> ChangeRow:
    """A change as a row: a tie reads ``A → B  TYPE (kind)``, a community lists its first members."""
    if item.kind in ("new_tie", "ended_tie"):
        what = f"{item.names[0]} → {item.names[1]}  {_tie_words(item)}"
    elif item.kind == "new_bridge":
        what = f"{item.names[0]} — {item.names[1]}"
    elif item.kind in ("communities_merged", "community_split"):
        shown = "、".join(item.names[:5]) if lang == "ja" else ", ".join(item.names[:5])
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
            },
        }


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

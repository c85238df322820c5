"""A producer team's own records of accompaniment (伴走支援, issue 22): counted apart, read by the worklist.

Why a module of its own: these records are not public facts (``source: producer``, with an author
and a date), so every count keeps them apart from the sourced ties, and a firm the team has just
accompanied is not a gap to act on — it is being acted on. The worklist reads
:func:`recently_accompanied` and gives such a firm no card. Pure functions over the graph; "recent"
is measured from ``as_of`` (today unless given), over :data:`RECENT_DAYS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import networkx as nx

from graph.schema import PRODUCER_SOURCE

__all__ = [
    "RECENT_DAYS",
    "EngagementFacts",
    "engagement_facts",
    "is_producer_record",
    "public_ties",
    "recently_accompanied",
]

#: Days after an accompaniment during which its firm is not a gap (one fiscal year's rhythm of visits).
RECENT_DAYS = 365


@dataclass(frozen=True)
class EngagementFacts:
    """The producer records of a view: how many, how many public ties beside them, whom they reached."""

    records: int
    public_ties: int
    firms: frozenset[str]
    recent: frozenset[str]
    latest: Mapping[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "public_ties": self.public_ties,
            "firms": sorted(self.firms),
            "recent": sorted(self.recent),
            "latest": dict(self.latest),
        }


def is_producer_record(attrs: Mapping[str, Any]) -> bool:
    """A record the producer team wrote themselves (``source: producer``), not a public fact."""
    return attrs.get("source") == PRODUCER_SOURCE


def public_ties(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``view`` without the producer records: what the public tie counts and measures are computed on.

    A read-only view (no copy), so the region's organisation graph counts only sourced ties (and
    flagged demo ties) while the producer records stay in ``view`` for the worklist and the
    detail panel; :func:`engagement_facts` counts what this view leaves out.
    """

    def public(u: Any, v: Any, k: Any) -> bool:
        return not is_producer_record(view.edges[u, v, k])

    return nx.subgraph_view(view, filter_edge=public)


def engagement_facts(view: nx.MultiDiGraph, as_of: date | None = None) -> EngagementFacts:
    """Count the producer records of ``view`` apart from the public ties, and the firms they reached."""
    cutoff = ((as_of or date.today()) - timedelta(days=RECENT_DAYS)).isoformat()
    records = public = 0
    latest: dict[str, str] = {}
    for _, target, attrs in view.edges(data=True):
        if not is_producer_record(attrs):
            public += 1
            continue
        records += 1
        when = str(attrs.get("date") or "")
        key = str(target)
        latest[key] = max(latest.get(key, ""), when)
    recent = frozenset(firm for firm, when in latest.items() if when and when >= cutoff)
    return EngagementFacts(records, public, frozenset(latest), recent, latest)


def recently_accompanied(view: nx.MultiDiGraph, as_of: date | None = None) -> frozenset[str]:
    """Firms with a producer record of accompaniment in the last :data:`RECENT_DAYS` days."""
    return engagement_facts(view, as_of).recent

# ruff: noqa: N803  (G: the graph, as in analytics.gaps)
"""Firm journeys through the business phases 構想 → 立上 → 拡大, from dated support ties (issue 21).

A firm's *journey* is the order in which its support reached each business phase (DESIGN §1:
``ideation``, ``launch``, ``expansion``): for every SUPPORTS tie received by the firm with a phase
and a year, the phase's step starts in the earliest year the firm was supported in it; steps are
ordered by that year (phase order breaking a tie of years). Only firms supported in more than one
phase have a journey; a tie without a year is left out (it cannot be placed in the order), and so
is one whose phase cannot be told.

A tie's phase is its ``phase`` property, else the phase of its programme when the programme serves
exactly one. The real layer's pages seldom state a phase, so few real firms have a journey; the
result says how many firms were supported, how many had dated phased support and how many have a
journey, so that a thin picture is shown as thin.

The flows (what the Sankey draws) count, for each step i → i+1 of every journey, the pair of
phases and the programme of the arriving step (``""`` when the support named none).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from analytics.orggraph import programme_key, role_of
from graph.schema import PHASES
from graph.snapshots import tie_start

__all__ = ["Journey", "JourneyFlow", "JourneyStep", "RegionJourneys", "region_journeys", "tie_phase"]


@dataclass(frozen=True)
class JourneyStep:
    """One phase of a firm's journey: first year, the bodies and programmes, the pages."""

    phase: str
    year: int
    bodies: tuple[str, ...]
    programmes: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Journey:
    """A firm's steps in time order; ``synthetic`` when every tie it rests on is generated."""

    firm: str
    name: str
    steps: tuple[JourneyStep, ...]
    synthetic: bool

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(step.phase for step in self.steps)


@dataclass(frozen=True)
class JourneyFlow:
    """``count`` journeys went from ``source`` (phase at step ``step``) to ``target`` via ``programme``."""

    step: int
    source: str
    target: str
    programme: str
    count: int


@dataclass(frozen=True)
class RegionJourneys:
    """Every journey of a region's firms, the Sankey flows, and how much the data allowed."""

    region: str
    supported_firms: int
    phased_firms: int
    journeys: tuple[Journey, ...]
    flows: tuple[JourneyFlow, ...]

    @property
    def synthetic_journeys(self) -> int:
        return sum(1 for j in self.journeys if j.synthetic)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "supported_firms": self.supported_firms,
            "phased_firms": self.phased_firms,
            "journeys": [
                {
                    "firm": j.firm,
                    "name": j.name,
                    "synthetic": j.synthetic,
                    "steps": [
                        {
                            "phase": s.phase,
                            "year": s.year,
                            "bodies": list(s.bodies),
                            "programmes": list(s.programmes),
                            "evidence": list(s.evidence),
                        }
                        for s in j.steps
                    ],
                }
                for j in self.journeys
            ],
            "flows": [vars(f) for f in self.flows],
        }


def tie_phase(G: nx.MultiDiGraph, data: Mapping[str, Any]) -> str | None:
    """A support tie's phase: its ``phase``, else its programme's when that serves exactly one."""
    phase = data.get("phase")
    if phase in PHASES:
        return str(phase)
    programme = data.get("programme")
    if programme in G:
        phases = [p for p in G.nodes[programme].get("phases") or () if p in PHASES]
        if len(phases) == 1:
            return str(phases[0])
    return None


def _steps(G: nx.MultiDiGraph, ties: list[tuple[Any, Mapping[str, Any]]]) -> tuple[JourneyStep, ...]:
    by_phase: dict[str, list[tuple[int, Any, Mapping[str, Any]]]] = defaultdict(list)
    for body, data in ties:
        phase, year = tie_phase(G, data), tie_start(data)
        if phase is not None and year is not None:
            by_phase[phase].append((year, body, data))
    steps = []
    for phase, rows in by_phase.items():
        first = min(year for year, _, _ in rows)
        at_first = [(body, data) for year, body, data in rows if year == first]
        programmes = sorted({programme_key(d["programme"]) for _, d in at_first if d.get("programme")})
        evidence = {p: None for _, d in at_first for p in str(d.get("evidence") or "").split()}
        steps.append(
            JourneyStep(phase, first, tuple(sorted({str(b) for b, _ in at_first})), tuple(programmes), tuple(evidence))
        )
    steps.sort(key=lambda s: (s.year, PHASES.index(s.phase)))
    return tuple(steps)


def _flows(journeys: list[Journey]) -> tuple[JourneyFlow, ...]:
    counted: Counter[tuple[int, str, str, str]] = Counter()
    for journey in journeys:
        for i, (a, b) in enumerate(zip(journey.steps, journey.steps[1:], strict=False)):
            counted[(i, a.phase, b.phase, b.programmes[0] if b.programmes else "")] += 1
    return tuple(JourneyFlow(i, a, b, prog, n) for (i, a, b, prog), n in sorted(counted.items()))


def region_journeys(view: nx.MultiDiGraph, region: str, catalogue: nx.MultiDiGraph | None = None) -> RegionJourneys:
    """The journeys of the firms of a region's view (see the module docstring).

    ``catalogue`` is where programmes are looked up for their phases (default: ``view``): a region's
    view holds only the programmes its organisations are tied to, not every one a support names.
    """
    received: dict[Any, list[tuple[Any, Mapping[str, Any]]]] = defaultdict(list)
    for body, firm, data in view.edges(data=True):
        attrs = view.nodes[firm]
        if data.get("type") == "SUPPORTS" and role_of(attrs) == "Company" and attrs.get("in_region", True):
            received[firm].append((body, data))
    journeys, phased = [], 0
    for firm in sorted(received, key=str):
        steps = _steps(view if catalogue is None else catalogue, received[firm])
        phased += bool(steps)
        if len(steps) > 1:
            synthetic = all(d.get("synthetic") for _, d in received[firm])
            name = str(view.nodes[firm].get("name") or firm)
            journeys.append(Journey(str(firm), name, steps, synthetic))
    return RegionJourneys(region, len(received), phased, tuple(journeys), _flows(journeys))

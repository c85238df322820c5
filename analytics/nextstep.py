# ruff: noqa: N803  (H: the organisation graph, as in analytics.gaps)
"""The body a worklist card's next step names, chosen by what the organisation needs (issue 20).

One referral for every firm (the IP window for all of Kobe, the best-connected chamber for all of
Ishikawa) tells a producer nothing. The need is read from the firm's own record, first match wins:

``ip_window``
    it holds rights or won an IP award, and no IP support body reaches it: the region's
    知財総合支援窓口 operator (or another IP support body) helps it use what it has;
``research_partner``
    it won an IP award and has IP support, but no university or 公設試 tie: a research partner of the
    region, the one whose industry or keywords fit it best;
``first_stop``
    it has no support tie at all and no IP: a general first stop that serves its place (よろず支援拠点,
    the chamber of commerce of its own city, an incubator) before any specialist;
``phase``
    otherwise: the body for its uncovered phases (:func:`analytics.eligibility.bodies_for_need`: the
    operator of a programme it may use, a specialist of the phase).

Every candidate serves the firm's place (a chamber of another city does not), is not tied to it
already, and still exists (a merged body is replaced by its successor). The returned
:class:`analytics.eligibility.Body` carries the ``why`` code the card's sentence is built from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx

from analytics.eligibility import Body, bodies_for_need
from analytics.fit import industry_relatedness, letter_of
from analytics.orggraph import role_of
from analytics.phases import PhaseIndex, normalise_support_kind
from analytics.profiles import is_gone, keywords_of
from graph.schema import PHASES

__all__ = ["FIRST_STOP_KINDS", "NEEDS", "Need", "need_of", "next_body"]

#: The needs a referral answers, in the order they are tested (module docstring).
NEEDS: tuple[str, ...] = ("ip_window", "research_partner", "first_stop", "phase")

#: Support kinds that take any question from any local firm, best first: the first stop for a firm with
#: no tie (よろず支援拠点, the chamber or 商工会 of its own city, then an incubator, which mostly serves startups).
FIRST_STOP_KINDS: tuple[str, ...] = ("yorozu", "chamber", "commerce_association", "incubator")

#: Support kinds of a body whose support is about IP, best first for a firm with rights and no IP support.
_IP_KINDS: tuple[str, ...] = ("ip_window", "invention_association", "ip_support_center", "ip_agency")

_RESEARCH_ROLES = frozenset({"University", "ResearchInstitute"})

#: Support kinds whose members are businesses (a chamber of commerce, a 商工会).
_BUSINESS_KINDS = frozenset({"chamber", "commerce_association"})


@dataclass(frozen=True)
class Need:
    """What a firm's record says it needs: ``key`` (one of :data:`NEEDS`) and the facts that decided it."""

    key: str
    ip_active: bool
    ip_reached: bool
    supported: bool


def need_of(
    ip_active: bool, ip_reached: bool, awards: int, *, supported: bool, research_tie: bool, firm: bool = True
) -> Need:
    """The firm's need (module docstring) from its IP status and whether any support body is tied.

    A university (``firm`` false) has no first stop: a chamber of commerce is no place for it.
    """
    if ip_active and not ip_reached:
        key = "ip_window"
    elif awards and not research_tie:
        key = "research_partner"
    elif firm and not supported and not ip_active:
        key = "first_stop"
    else:
        key = "phase"
    return Need(key, ip_active, ip_reached, supported)


def next_body(
    G: nx.MultiDiGraph,
    H: nx.Graph,
    index: PhaseIndex,
    org: Any,
    phases: Sequence[str],
    need: Need,
    **pick: Any,
) -> Body | None:
    """The body ``org`` should turn to for ``need`` (module docstring), or None when the region has none.

    ``pick`` are :func:`analytics.eligibility.bodies_for_need`'s keywords (``tied``, ``hubs``, ``who``).
    """
    phases = tuple(phases) or PHASES
    if need.key == "research_partner":
        partner = research_partner(G, H, org, pick["tied"])
        if partner is not None:
            return Body(partner, "launch", "research_partner")
    if need.key == "ip_window":
        found = _ip_body(G, bodies_for_need(G, H, index, org, PHASES, ip_supported=True, limit=len(H), **pick))
        if found is not None:
            return found
    # The IP window is not put first here: the need, not the phase, decided whether IP comes first.
    serving = bodies_for_need(G, H, index, org, phases, ip_supported=True, limit=len(H), **pick)
    candidates = _for_whom(G, serving, str(pick.get("who") or ""))
    if need.key == "first_stop" and set(phases) == set(PHASES):
        stop = _first_stop(G, candidates)
        if stop is not None:
            return stop
    return candidates[0] if candidates else None


def _for_whom(G: nx.MultiDiGraph, candidates: Sequence[Body], who: str) -> list[Body]:
    """``candidates`` fit for a participant of class ``who``: no chamber for a university, an incubator
    last for anyone but a startup (it serves startups)."""
    out = list(candidates)
    if who == "university":
        out = [b for b in out if _kind(G, b.id) not in _BUSINESS_KINDS]
    if who != "startup":
        out.sort(key=lambda b: _kind(G, b.id) == "incubator")
    return out


def _first_stop(G: nx.MultiDiGraph, candidates: Sequence[Body]) -> Body | None:
    """The best first stop among ``candidates`` by :data:`FIRST_STOP_KINDS` order, then their own order."""
    stops = [
        (FIRST_STOP_KINDS.index(_kind(G, b.id)), n, b)
        for n, b in enumerate(candidates)
        if _kind(G, b.id) in FIRST_STOP_KINDS
    ]
    if not stops:
        return None
    return replace(min(stops, key=lambda s: (s[0], s[1]))[2], why="first_stop")


def _kind(G: nx.MultiDiGraph, node: Any) -> str:
    return normalise_support_kind(G.nodes[node].get("support_kind")) or ""


def _ip_body(G: nx.MultiDiGraph, candidates: Sequence[Body]) -> Body | None:
    """The IP support body among ``candidates``: an IP window operator first, then by :data:`_IP_KINDS`."""
    ranked = [(_IP_KINDS.index(_kind(G, b.id)), n, b) for n, b in enumerate(candidates) if _kind(G, b.id) in _IP_KINDS]
    if not ranked:
        return None
    body = min(ranked, key=lambda r: (r[0], r[1]))[2]
    return replace(body, phase="ideation", why="ip_window" if _kind(G, body.id) == "ip_window" else "ip_body")


def research_partner(G: nx.MultiDiGraph, H: nx.Graph, org: Any, tied: frozenset[Any]) -> Any | None:
    """The university or 公設試 of the region that fits ``org`` best: industry relatedness plus shared keywords.

    Ties are broken by the partner's degree (a partner used to working with firms), then its id.
    """
    mine = G.nodes[org]
    letter = letter_of(mine, role_of(mine))
    words = keywords_of(mine)

    def score(node: Any) -> tuple[float, int, str]:
        attrs = G.nodes[node]
        fit = industry_relatedness(letter, letter_of(attrs, role_of(attrs)))[0]
        return (-(fit + len(words & keywords_of(attrs))), -H.degree(node), str(node))

    found = [
        n
        for n in H
        if n in G and role_of(G.nodes[n]) in _RESEARCH_ROLES and n not in tied and n != org and not is_gone(G, n)
    ]
    return min(found, key=score) if found else None


def ip_status(profiles: Mapping[str, Any], org: Any) -> tuple[bool, bool, int]:
    """(IP-active, reached by IP support, awards) from :func:`analytics.ip.ip_profiles` (not recorded: all false)."""
    profile = profiles.get(str(org))
    if profile is None:
        return False, False, 0
    return bool(profile.active), bool(profile.reached), int(profile.awards)

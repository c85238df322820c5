"""Provenance audit of the real layer: every fact about a real organisation must show its source.

The product's first promise is *never invent*: a tie between real organisations exists in our data
only when a public page states it, and we keep the page's URL and the date it states. This module
checks that promise over a stored graph, so that ``ipeco audit`` (and a test over the bundled
seeds) can say, finding by finding, where it is broken:

* ``no_evidence`` — a real node or tie whose ``evidence`` is empty;
* ``evidence_not_url`` — ``evidence`` that is not an ``http(s)://`` URL (a record id or a note is
  not something a reader can open);
* ``no_date`` — a real tie between organisations with neither a stated ``date`` nor a ``since``
  fiscal year (``PART_OF``, a branch's standing place in its parent, is not an event and has none);
* IP facts (issue 19) — a ``HOLDS`` tie from a holder to an ``IPRight`` needs a date too: its own
  ``date`` or ``since``, or the right's ``registered_on`` / ``filed_on`` (``no_date``); IP awards, IP
  support events and licences are ties between organisations and fall under the rule above;
* ``duplicate`` — two ties of the same type and kind between the same two organisations (in
  either direction) stating the same date: the same fact entered twice, which would double its
  weight in every measure;
* ``bad_corporate_number`` — a corporate number (法人番号) that fails the NTA check digit.

Synthetic (demo) data is out of scope: it is flagged as generated everywhere and makes no claim.
Ties that only place an organisation (``LOCATED_IN``) inherit the node's own source and are not
required to carry a date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import networkx as nx

from graph.identifiers import is_valid_corporate_number

__all__ = ["FINDING_KINDS", "AuditFinding", "audit_findings", "findings_by_kind", "tie_kind"]

FindingKind = Literal["no_evidence", "evidence_not_url", "no_date", "duplicate", "bad_corporate_number"]

#: Every kind of finding, in the order reports list them (their words: ``audit.kind.<kind>`` in graph.words).
FINDING_KINDS: Final[tuple[str, ...]] = (
    "no_evidence",
    "evidence_not_url",
    "no_date",
    "duplicate",
    "bad_corporate_number",
)

#: Ties that only seat an organisation; their source is the organisation's own.
_PLACING: Final = frozenset({"LOCATED_IN"})
#: Ties between organisations that state a standing structure rather than an event: no date.
_UNDATED: Final = frozenset({"PART_OF"})

#: What a tie of each type is, in the vocabulary of public sources (issue 12), when it has no kind.
_KIND_OF_TYPE: Final[dict[str, str]] = {
    "SUPPORTS": "supported_firm",
    "REFERS_TO": "referral",
    "MEMBER_OF": "membership",
    "OPERATES": "programme_delivery",
    "PARTICIPATES_IN": "programme_participation",
    "PART_OF": "organisation",
    "SUCCEEDED_BY": "succession",
    "SERVES": "service_area",
    "LOCATED_IN": "seat",
    "ACTIVE_IN": "technology",
}


@dataclass(frozen=True)
class AuditFinding:
    """One place where a real fact does not show its source, with enough to find the row."""

    kind: FindingKind
    #: ``node`` or ``relationship``.
    subject: Literal["node", "relationship"]
    #: The node id, or ``source -[TYPE]-> target``.
    ref: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def tie_kind(rel_type: str, props: dict[str, Any]) -> str:
    """A tie's kind as sources state it: its own ``kind`` where it has one, else what its type means."""
    kind = props.get("kind")
    if kind:
        return str(kind)
    return _KIND_OF_TYPE.get(rel_type, rel_type.lower())


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _evidence_findings(subject: Literal["node", "relationship"], ref: str, data: dict[str, Any]) -> list[AuditFinding]:
    evidence = str(data.get("evidence") or "").strip()
    if not evidence:
        return [AuditFinding("no_evidence", subject, ref, "evidence is empty")]
    if not all(_is_web_url(part.strip()) for part in evidence.split()):
        return [AuditFinding("evidence_not_url", subject, ref, f"evidence {evidence!r} is not an http(s) URL")]
    return []


def _is_org(graph: nx.MultiDiGraph, node: str) -> bool:
    return "Organization" in graph.nodes[node].get("labels", ())


def _rel_ref(u: str, v: str, data: dict[str, Any]) -> str:
    return f"{u} -[{data.get('type', '?')}]-> {v}"


_HOLDS_UNDATED: Final = "an IP fact needs a date: the tie's date or since, or the right's registered_on or filed_on"


def _holds_dated(data: dict[str, Any], right: dict[str, Any]) -> bool:
    """A held right is dated by the tie (date, since) or by the right itself (registration, filing)."""
    return bool(
        data.get("date") or data.get("since") is not None or right.get("registered_on") or right.get("filed_on")
    )


def audit_findings(graph: nx.MultiDiGraph) -> list[AuditFinding]:
    """Every provenance finding on the real (non-synthetic) part of ``graph``, nodes first, sorted.

    The graph is the stored one (``Store.read_graph``), or one region's view of it: the audit reads
    only node and edge attributes, so it runs the same over either store.
    """
    findings = _node_findings(graph)
    same_fact: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("type")))):
        if _is_real_tie(graph, u, v, data):
            findings += _tie_findings(graph, u, v, data, same_fact)
    for refs in same_fact.values():
        findings += [AuditFinding("duplicate", "relationship", ref, f"the same fact as {refs[0]}") for ref in refs[1:]]
    order = list(FINDING_KINDS)
    return sorted(findings, key=lambda f: (order.index(f.kind), f.subject, f.ref))


def _node_findings(graph: nx.MultiDiGraph) -> list[AuditFinding]:
    """Sources and corporate numbers of the real nodes."""
    findings: list[AuditFinding] = []
    for node, data in sorted(graph.nodes(data=True)):
        if data.get("synthetic"):
            continue
        findings += _evidence_findings("node", node, data)
        number = str(data.get("corporate_number") or "")
        if number and not is_valid_corporate_number(number):
            findings.append(AuditFinding("bad_corporate_number", "node", node, f"corporate_number {number!r}"))
    return findings


def _is_real_tie(graph: nx.MultiDiGraph, u: str, v: str, data: dict[str, Any]) -> bool:
    """A tie the audit reads: real at both ends and itself, and not one that only seats an organisation."""
    if data.get("synthetic") or graph.nodes[u].get("synthetic") or graph.nodes[v].get("synthetic"):
        return False
    return str(data.get("type", "")) not in _PLACING


def _tie_findings(
    graph: nx.MultiDiGraph, u: str, v: str, data: dict[str, Any], same_fact: dict[tuple[Any, ...], list[str]]
) -> list[AuditFinding]:
    """A real tie's source and date findings; a tie between organisations is also filed under its fact."""
    rel_type = str(data.get("type", ""))
    ref = _rel_ref(u, v, data)
    findings = _evidence_findings("relationship", ref, data)
    if rel_type == "HOLDS" and not _holds_dated(data, graph.nodes[v]):
        findings.append(AuditFinding("no_date", "relationship", ref, _HOLDS_UNDATED))
    if _is_org(graph, u) and _is_org(graph, v):
        if rel_type not in _UNDATED and not data.get("date") and data.get("since") is None:
            findings.append(AuditFinding("no_date", "relationship", ref, "neither date nor since is set"))
        fact = (rel_type, tie_kind(rel_type, data), *sorted((u, v)), data.get("date"), data.get("since"))
        same_fact[fact].append(ref)
    return findings


def findings_by_kind(findings: Iterable[AuditFinding]) -> dict[str, int]:
    """Counts per finding kind, every kind present (zero included), in the documented order."""
    counts = dict.fromkeys(FINDING_KINDS, 0)
    for finding in findings:
        counts[finding.kind] += 1
    return counts

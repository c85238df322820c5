"""The detail panel's 知財 section: an organisation's IP facts, each with its page and date (issue 19).

The facts are the analysis service's (:meth:`analytics.service.AnalysisService.ip`), so the panel,
``ipeco ip`` and the report's IP section list the same facts; this module only renders them.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from graph.words import calendar_date, ip_kind_name, t
from webapp.data import DataSource, display_name
from webapp.state import encode_query

__all__ = ["ip_section", "ip_summary"]


def _when(date: str, lang: str) -> Any:
    """A fact's date: a ``<time>`` in words for a day, the fiscal year as written otherwise (FY2024)."""
    if len(date) == 10 and date[4] == "-":
        return html.Time(calendar_date(date, lang), dateTime=date)
    return date


def _link(evidence: str) -> Any:
    urls = [u for u in evidence.split() if u.startswith(("http://", "https://"))]
    if not urls:
        return evidence
    return html.A(urls[0], href=urls[0], target="_blank", rel="noopener noreferrer")


def ip_section(ds: DataSource, region: str, node: str, lang: str) -> list[Any]:
    """Heading, whether an IP support body reaches the organisation, and its facts (empty for a non-member)."""
    report = ds.ip(region)
    profile = report.profiles.get(node)
    facts = report.of(node)
    if profile is None and not facts and node not in report.support_bodies:
        return []
    graph, _ = ds.graph()
    out: list[Any] = [html.H4(t("ip.section", lang), className="ip-section")]
    if node in report.support_bodies:
        out.append(html.P(t("ip.body", lang), className="kind-tag ip-body-tag"))
    if profile is not None:
        out.append(_reach(graph, profile, lang))
    if not facts:
        out.append(html.P(t("ip.none", lang)))
        return out
    out.append(html.Ul([_fact_item(graph, fact, lang) for fact in facts], className="ip-facts"))
    return out


def _reach(graph: Any, profile: Any, lang: str) -> html.P:
    """Whether an IP support body reaches the organisation, naming the bodies that do."""
    names = [display_name(graph.nodes[b], lang, b) if b in graph else b for b in profile.support_bodies]
    reach = t("ip.reached", lang, bodies=t("form.list", lang).join(names))
    return html.P(reach if profile.reached else t("ip.not_reached", lang))


def _fact_item(graph: Any, fact: Any, lang: str) -> html.Li:
    """One IP fact: its kind, the right or award, the source as a link and its date."""
    other = display_name(graph.nodes[fact.subject], lang, fact.subject) if fact.subject in graph else fact.subject
    what = f"{ip_kind_name(fact.kind, lang)} — {other}"
    if fact.number and fact.number not in other:
        what += f" ({fact.number})"
    if fact.detail and fact.fact == "award":
        what = t("form.labelled", lang, label=what, text=fact.detail)
    when = _when(fact.date, lang) if fact.date else ""
    return html.Li([f"{what}: ", _link(fact.evidence), *([" (", when, ")"] if when else [])], className="ip-fact")


def ip_summary(ds: DataSource, regions: list[str], names: dict[str, str], lang: str, *, real_only: bool) -> list[Any]:
    """The compare page's 知財 section: each region's IP facts counted, with a link to its map's 知財 layer.

    The counts are :class:`analytics.ip.IPCounts` from the service: the numbers ``ipeco ip`` prints.
    """
    items = []
    for region in regions:
        counts = ds.service.ip(region, real_only=real_only).counts
        name = names.get(region, region)
        text = t(
            "ip.summary", lang, region=name, facts=counts.facts, orgs=counts.organisations, kinds=len(counts.kinds)
        )
        query = encode_query({"region": region, "ip": "1", "lang": lang if lang != "ja" else None})
        link = dcc.Link(t("ip.map_link", lang), href="/" + query)
        kinds = t("form.list", lang).join(
            f"{ip_kind_name(k, lang)} {n}" for k, n in sorted(counts.by_kind.items(), key=lambda kv: -kv[1])
        )
        items.append(html.Li([t("form.paren", lang, text=text, detail=kinds) if kinds else text, " — ", link]))
    return [html.H3(t("ip.section", lang)), html.Ul(items, className="ip-summary")]

# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""A seeded synthetic region of any size, for tests and benchmarks: as a view, or as a batch to load.

``synthetic_region(n)`` returns what ``graph.views.region_subgraph`` returns for a region of ``n``
organisations: the Region node, the organisations (``in_region: True``) and their programmes,
networks and technology fields (``in_region: False``), every node and edge flagged
``synthetic: True``. Support bodies have heavy-tailed caseloads, firms share technology fields
with universities and 公設試 by a Zipf law, about a tenth of the firms have no tie at all, and
engagements span fiscal years 2021–2024 so that time-split evaluation has a test year.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import numpy as np

from graph.batch import Batch, NodeRecord, RelRecord
from graph.schema import relationship_key

__all__ = ["ROLE_SHARES", "synthetic_region", "synthetic_region_batch"]

#: Share of organisations per role label.
ROLE_SHARES: dict[str, float] = {
    "Company": 0.80,
    "University": 0.03,
    "ResearchInstitute": 0.02,
    "SupportOrganization": 0.08,
    "GovernmentBody": 0.02,
    "FinancialInstitution": 0.03,
    "ProfessionalBody": 0.02,
}
_KINDS = (
    "ip_window",
    "yorozu",
    "chamber",
    "invention_association",
    "sme_center",
    "jetro",
    "smrj",
    "cluster",
    "incubator",
    "ip_support",
)
_PROGRAMMES = {
    "ip_window": ("ideation", "launch", "expansion"),
    "yorozu": ("ideation", "launch", "expansion"),
    "ip_finance": ("ideation",),
    "ipl_support": ("ideation", "launch"),
    "ipas": ("ideation",),
    "oi_contracts": ("ideation", "launch"),
    "overseas_filing": ("expansion",),
    "overseas_infringement": ("expansion",),
    "model_region": ("ideation", "launch"),
}
_KIND_PROGRAMME = {
    "ip_window": "ip_window",
    "yorozu": "yorozu",
    "jetro": "overseas_filing",
    "sme_center": "overseas_filing",
    "ip_support": "ipl_support",
    "cluster": "oi_contracts",
}
_YEARS = (2021, 2022, 2023, 2024)


def synthetic_region(n: int, *, seed: int = 0, region: str = "synth", ties_per_org: float = 5.0) -> nx.MultiDiGraph:
    """Build a synthetic region view with ``n`` organisations and about ``ties_per_org`` ties each.

    Parameters
    ----------
    n
        Number of organisations (at least 20).
    seed
        Seed of the ``numpy`` generator; the same seed gives the same graph.
    region
        Region key; the Region node is ``region:<region>``.
    ties_per_org
        Mean organisation degree (each tie counts for both ends), so about ``n * ties_per_org / 2``
        ties between organisations.
    """
    n = max(int(n), 20)
    rng = np.random.default_rng(seed)
    G = nx.MultiDiGraph(region=f"region:{region}")
    prov = {"synthetic": True, "source": "synthetic:bench", "evidence": ""}
    n_fields = max(10, int(np.sqrt(n) * 2))
    fields = [f"{'ABCDEFGH'[i % 8]}{10 + (i // 8) % 90:02d}{'ABCDEFGHJK'[(i // 720) % 10]}" for i in range(n_fields)]
    _add_context_nodes(G, region, fields, prov)
    edge_no = 0

    def add_edge(u: str, v: str, rel: str, **props: object) -> None:
        nonlocal edge_no
        edge_no += 1
        G.add_edge(u, v, key=f"{rel}|{edge_no}", type=rel, **props, **prov)

    ids = _add_organisations(G, rng, add_edge, region, n, fields, prov)
    for node in ids["SupportOrganization"]:
        add_edge(node, f"network:{region}", "MEMBER_OF")
        programme = _KIND_PROGRAMME.get(G.nodes[node]["support_kind"])
        if programme:
            add_edge(node, f"programme:{programme}", "OPERATES")
    _add_ties(G, rng, add_edge, ids, int(n * ties_per_org / 2))
    return G


def _add_context_nodes(G: nx.MultiDiGraph, region: str, fields: list[str], prov: dict[str, object]) -> None:
    """The Region node, the programmes, the region's network and the technology fields (no random draws)."""
    rid = f"region:{region}"
    G.add_node(rid, labels=["Region"], name=region, name_en=region, level="prefecture", in_region=True, **prov)
    for key, phases in _PROGRAMMES.items():
        G.add_node(f"programme:{key}", labels=["Programme"], name=key, phases=list(phases), in_region=False, **prov)
    net = f"network:{region}"
    G.add_node(net, labels=["Network"], name=f"{region} 地域知財経営支援ネットワーク", in_region=False, **prov)
    for code in fields:
        G.add_node(f"tech:{code}", labels=["TechField"], scheme="IPC", code=code, name=code, in_region=False, **prov)


def _add_organisations(
    G: nx.MultiDiGraph,
    rng: np.random.Generator,
    add_edge: Callable[..., None],
    region: str,
    n: int,
    fields: list[str],
    prov: dict[str, object],
) -> dict[str, list[str]]:
    """The ``n`` organisations by role share, each located in the region; returns their ids by role."""
    n_fields = len(fields)
    rid = f"region:{region}"
    roles = list(ROLE_SHARES)
    counts = [round(n * s) for s in ROLE_SHARES.values()]
    counts[0] += n - sum(counts)
    ids: dict[str, list[str]] = {}
    zipf = 1.0 / np.arange(1, n_fields + 1)
    zipf /= zipf.sum()
    for role, count in zip(roles, counts, strict=True):
        ids[role] = []
        for i in range(count):
            node = f"org:{region}:{role[:3].lower()}{i}"
            ids[role].append(node)
            attrs: dict[str, object] = {"name": f"{role} {i}", "name_en": f"{role} {i}", "in_region": True}
            if role == "SupportOrganization":
                attrs["support_kind"] = _KINDS[i % len(_KINDS)]
            if role == "Company":
                attrs["startup"] = bool(rng.random() < 0.1)
            if role in ("Company", "University", "ResearchInstitute"):
                k = 1 + int(rng.integers(0, 3))
                attrs["tech_fields"] = sorted({fields[j] for j in rng.choice(n_fields, size=k, p=zipf)})
            G.add_node(node, labels=["Organization", role], **attrs, **prov)
            add_edge(node, rid, "LOCATED_IN")
            if role in ("Company", "University", "ResearchInstitute") and rng.random() < 0.5:
                for code in G.nodes[node]["tech_fields"]:
                    add_edge(node, f"tech:{code}", "ACTIVE_IN", patents=int(rng.integers(1, 20)))
    return ids


def _add_ties(
    G: nx.MultiDiGraph,
    rng: np.random.Generator,
    add_edge: Callable[..., None],
    ids: dict[str, list[str]],
    total: int,
) -> None:
    """``total`` draws of a tie: support, research collaboration, firm contract, finance or referral."""
    firms = ids["Company"]
    active_firms = firms[: int(len(firms) * 0.9)]  # the last tenth stays without ties
    supporters = ids["SupportOrganization"] + ids["GovernmentBody"] + ids["ProfessionalBody"]
    caseload = rng.pareto(1.5, size=len(supporters)) + 1
    caseload /= caseload.sum()
    researchers = ids["University"] + ids["ResearchInstitute"]
    by_field: dict[str, list[str]] = {}
    for node in researchers:
        for code in G.nodes[node]["tech_fields"]:
            by_field.setdefault(code, []).append(node)
    mix = rng.choice(5, size=total, p=[0.5, 0.15, 0.12, 0.13, 0.10])
    firm_pick = rng.integers(0, len(active_firms), size=total)
    sup_pick = rng.choice(len(supporters), size=total, p=caseload)
    years = rng.choice(_YEARS, size=total)
    for t in range(total):
        firm = active_firms[firm_pick[t]]
        year = int(years[t])
        kind = mix[t]
        if kind == 0:  # support engagement
            body = supporters[sup_pick[t]]
            sk = G.nodes[body].get("support_kind")
            programme = _KIND_PROGRAMME.get(sk, "model_region")
            phases = _PROGRAMMES[programme]
            phase = phases[int(rng.integers(0, len(phases)))]
            add_edge(body, firm, "SUPPORTS", programme=f"programme:{programme}", phase=phase, fiscal_year=year)
        elif kind == 1:  # firm – research collaboration, mostly within a shared field
            shared = [r for code in G.nodes[firm]["tech_fields"] for r in by_field.get(code, ())]
            pool = shared if shared and rng.random() < 0.8 else researchers
            partner = pool[int(rng.integers(0, len(pool)))]
            add_edge(firm, partner, "COLLABORATES_WITH", kind="joint_research", weight=1.0, fiscal_year=year)
        elif kind == 2:  # firm – firm
            other = active_firms[int(rng.integers(0, len(active_firms)))]
            if other != firm:
                add_edge(firm, other, "COLLABORATES_WITH", kind="contract", weight=1.0, fiscal_year=year)
        elif kind == 3:  # bank finance
            bank = ids["FinancialInstitution"][int(rng.integers(0, len(ids["FinancialInstitution"])))]
            fin = "ip_finance_report" if rng.random() < 0.2 else "loan"
            add_edge(bank, firm, "FINANCES", kind=fin, amount=float(rng.integers(1, 100)) * 1e6, fiscal_year=year)
        else:  # referral between support bodies
            a, b = supporters[sup_pick[t]], supporters[int(rng.integers(0, len(supporters)))]
            if a != b:
                add_edge(a, b, "REFERS_TO", fiscal_year=year)


#: Properties of the view that are not stored (the view's own bookkeeping).
_VIEW_ONLY = frozenset({"labels", "in_region", "type"})


def synthetic_region_batch(n: int, *, key: str = "bench", seed: int = 7, ties_per_org: float = 5.0) -> Batch:
    """The same synthetic region as :func:`synthetic_region`, as a batch a store can load.

    Benchmarks and web tests load it through the ordinary write path, so what they measure is what
    a real load of that size does; analytics tests take the view directly. Ties that the schema
    identifies as one (same ends, type and key properties) are loaded once.
    """
    view = synthetic_region(n, seed=seed, region=key, ties_per_org=ties_per_org)
    nodes = [
        NodeRecord(str(node), tuple(data["labels"]), {k: v for k, v in data.items() if k not in _VIEW_ONLY})
        for node, data in view.nodes(data=True)
    ]
    rels: dict[tuple[str, str, str, str], RelRecord] = {}
    for u, v, data in view.edges(data=True):
        props = {k: val for k, val in data.items() if k not in _VIEW_ONLY}
        identity = (str(data["type"]), str(u), str(v), relationship_key(str(data["type"]), props))
        rels.setdefault(identity, RelRecord(identity[0], identity[1], identity[2], props))
    return Batch(f"synthetic-{key}", nodes, list(rels.values()))

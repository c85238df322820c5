"""Data for the web app's tests, demos and bench when no seed is loaded.

``demo_batch()`` prefers the project's seed (``seeds.seed_batch``, else its real skeleton) so tests
and screenshots show the same data users see; while the seed is unavailable it falls back to a
small hand-built batch covering the three model regions. ``large_region_batch(n)`` builds one
synthetic region of ``n`` firms for the aggregation bench (issue 5: 5×10^4 organisations).
"""

from __future__ import annotations

import random

from graph.batch import Batch, NodeRecord, RelRecord
from graph.identifiers import corporate_number_check_digit

__all__ = ["demo_batch", "hand_built_batch", "large_region_batch", "synthetic_corporate_number"]

_REGIONS = {
    "aomori": ("青森県", "Aomori Prefecture", "prefecture", "02"),
    "ishikawa": ("石川県", "Ishikawa Prefecture", "prefecture", "17"),
    "kobe": ("神戸市", "Kobe City", "city", "28100"),
}
#: (region, id, role, name, name_en, furigana, extra props): real institutions of each model region.
_REAL_ORGS = [
    (
        "aomori",
        "org:aomori-itc",
        "ResearchInstitute",
        "地方独立行政法人青森県産業技術センター",
        "Aomori Prefectural Industrial Technology Research Center",
        "アオモリケンサンギョウギジュツセンター",
        {},
    ),
    ("aomori", "org:hirosaki-u", "University", "弘前大学", "Hirosaki University", "ヒロサキダイガク", {}),
    (
        "aomori",
        "org:aomori-window",
        "SupportOrganization",
        "INPIT青森県知財総合支援窓口",
        "INPIT Aomori IP Window",
        "",
        {"support_kind": "ip_window"},
    ),
    (
        "aomori",
        "org:aomori-yorozu",
        "SupportOrganization",
        "青森県よろず支援拠点",
        "Aomori Yorozu Support Center",
        "",
        {"support_kind": "yorozu"},
    ),
    ("aomori", "org:aomori-pref", "GovernmentBody", "青森県", "Aomori Prefectural Government", "アオモリケン", {}),
    (
        "ishikawa",
        "org:isico",
        "SupportOrganization",
        "公益財団法人石川県産業創出支援機構",
        "ISICO",
        "イシカワケンサンギョウソウシュツシエンキコウ",
        {"support_kind": "promotion"},
    ),
    ("ishikawa", "org:kanazawa-u", "University", "金沢大学", "Kanazawa University", "カナザワダイガク", {}),
    ("ishikawa", "org:jaist", "University", "北陸先端科学技術大学院大学", "JAIST", "ホクリクセンタン", {}),
    ("ishikawa", "org:hokkoku", "FinancialInstitution", "株式会社北國銀行", "Hokkoku Bank", "ホッコクギンコウ", {}),
    (
        "ishikawa",
        "org:ishikawa-window",
        "SupportOrganization",
        "INPIT石川県知財総合支援窓口",
        "INPIT Ishikawa IP Window",
        "",
        {"support_kind": "ip_window"},
    ),
    ("kobe", "org:kobe-u", "University", "神戸大学", "Kobe University", "コウベダイガク", {}),
    (
        "kobe",
        "org:niro",
        "SupportOrganization",
        "公益財団法人新産業創造研究機構",
        "NIRO",
        "シンサンギョウソウゾウケンキュウキコウ",
        {"support_kind": "promotion"},
    ),
    ("kobe", "org:fbri", "SupportOrganization", "公益財団法人神戸医療産業都市推進機構", "FBRI", "", {}),
    ("kobe", "org:kobe-city", "GovernmentBody", "神戸市", "City of Kobe", "コウベシ", {}),
    ("kobe", "org:jpaa-kansai", "ProfessionalBody", "日本弁理士会関西会", "JPAA Kansai", "", {}),
]


def synthetic_corporate_number(seq: int) -> str:
    """A valid-looking 法人番号 for a demo firm (check digit correct, base digits from ``seq``)."""
    base = f"9{seq:011d}"
    return f"{corporate_number_check_digit(base)}{base}"


def hand_built_batch() -> Batch:
    """Three model regions, their key real institutions and a few flagged synthetic firms and ties."""
    nodes = [
        NodeRecord(
            f"region:{k}",
            ("Region",),
            {"name": ja, "name_en": en, "level": lv, "jis_code": code, "model_region_fy": 2024},
        )
        for k, (ja, en, lv, code) in _REGIONS.items()
    ]
    nodes.append(
        NodeRecord(
            "prog:ipas",
            ("Programme",),
            {"name": "IPAS", "phases": ["ideation", "launch"], "evidence": "https://ipas.inpit.go.jp/"},
        )
    )
    nodes.append(
        NodeRecord(
            "prog:overseas",
            ("Programme",),
            {"name": "海外出願支援", "name_en": "Overseas filing", "phases": ["expansion"]},
        )
    )
    rels: list[RelRecord] = []
    for region, oid, role, name, name_en, kana, extra in _REAL_ORGS:
        props = {
            "name": name,
            "name_en": name_en,
            "evidence": f"https://example.org/{oid.removeprefix('org:')}",
            **({"furigana": kana} if kana else {}),
            **extra,
        }
        nodes.append(NodeRecord(oid, ("Organization", role), props))
        rels.append(RelRecord("LOCATED_IN", oid, f"region:{region}", {}))
    placed = [(region, oid, role) for region, oid, role, *_ in _REAL_ORGS]
    extra_nodes, extra_rels = _synthetic_layer(placed)
    return Batch("webapp-sample", nodes + extra_nodes, rels + extra_rels)


def _synthetic_layer(placed: list[tuple[str, str, str]]) -> tuple[list[NodeRecord], list[RelRecord]]:
    """Four flagged demo firms per model region, supported by and collaborating with its real bodies.

    ``placed`` lists ``(region, org id, role)`` of the real organisations seated in each region.
    """
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []
    seq = 0
    for region in _REGIONS:
        support = [o for r, o, role in placed if r == region and role == "SupportOrganization"]
        knowledge = [o for r, o, role in placed if r == region and role in ("University", "ResearchInstitute")]
        if not support:
            continue
        for i in range(4):
            seq += 1
            oid = f"org:{synthetic_corporate_number(seq)}"
            nodes.append(
                NodeRecord(
                    oid,
                    ("Organization", "Company"),
                    {
                        "name": f"デモ{_REGIONS[region][0]}製作所{i + 1}",
                        "name_en": f"Demo {region.title()} Works {i + 1}",
                        "corporate_number": oid.removeprefix("org:"),
                        "synthetic": True,
                        "startup": i == 0,
                    },
                )
            )
            rels.append(RelRecord("LOCATED_IN", oid, f"region:{region}", {"synthetic": True}))
            if i < 3:
                rels.append(
                    RelRecord(
                        "SUPPORTS",
                        support[i % len(support)],
                        oid,
                        {
                            "programme": "prog:ipas",
                            "phase": ("ideation", "launch", "expansion")[i],
                            "fiscal_year": 2024 + i % 2,
                            "synthetic": True,
                        },
                    )
                )
            if i == 1 and knowledge:
                rels.append(
                    RelRecord("COLLABORATES_WITH", oid, knowledge[0], {"kind": "joint_research", "synthetic": True})
                )
        if len(support) > 1:
            rels.append(RelRecord("REFERS_TO", support[0], support[1], {"synthetic": True}))
    return nodes, rels


def _placed_in_model_regions(batch: Batch) -> list[tuple[str, str, str]]:
    roles = {n.id: n.labels[-1] for n in batch.nodes if "Organization" in n.labels}
    return [
        (r.target.removeprefix("region:"), r.source, roles.get(r.source, ""))
        for r in batch.relationships
        if r.type == "LOCATED_IN" and r.target.removeprefix("region:") in _REGIONS and r.source in roles
    ]


def demo_batch() -> Batch:
    """The seed (with its synthetic layer) when ``seeds`` can build it; else the real skeleton plus
    this module's flagged demo firms; else :func:`hand_built_batch`."""
    try:
        from seeds import seed_batch

        batch = seed_batch()
        if any(n.props.get("synthetic") for n in batch.nodes):
            return batch
    except Exception:
        pass
    try:
        from seeds import real_seed_batch

        batch = real_seed_batch()
    except Exception:
        return hand_built_batch()
    nodes, rels = _synthetic_layer(_placed_in_model_regions(batch))
    batch.nodes.extend(nodes)
    batch.relationships.extend(rels)
    return batch


def large_region_batch(n_orgs: int = 50_000, key: str = "bench", seed: int = 7) -> Batch:
    """One synthetic region of ``n_orgs`` organisations with about 1.3 ties each (bench data)."""
    rng = random.Random(seed)
    rid = f"region:{key}"
    nodes = [
        NodeRecord(rid, ("Region",), {"name": "ベンチ市", "name_en": "Bench City", "level": "city", "synthetic": True})
    ]
    rels: list[RelRecord] = []
    special = {
        0: "SupportOrganization",
        25: "SupportOrganization",
        50: "SupportOrganization",
        75: "SupportOrganization",
        1: "University",
        51: "University",
        2: "FinancialInstitution",
        52: "FinancialInstitution",
        3: "ResearchInstitute",
        4: "GovernmentBody",
    }
    placed = []
    for i in range(n_orgs):
        role = special.get(i % 100, "Company")
        oid = f"org:{key}-{i}"
        placed.append((oid, role))
        nodes.append(NodeRecord(oid, ("Organization", role), {"name": f"ベンチ{role}{i}", "synthetic": True}))
        rels.append(RelRecord("LOCATED_IN", oid, rid, {"synthetic": True}))
    support = [o for o, r in placed if r == "SupportOrganization"]
    knowledge = [o for o, r in placed if r in ("University", "ResearchInstitute")]
    for oid, role in placed:
        if role != "Company":
            continue
        rels.append(
            RelRecord(
                "SUPPORTS",
                rng.choice(support),
                oid,
                {
                    "phase": rng.choice(("ideation", "launch")),
                    "fiscal_year": rng.choice((2024, 2025)),
                    "synthetic": True,
                },
            )
        )
        if rng.random() < 0.3:
            rels.append(
                RelRecord(
                    "COLLABORATES_WITH", oid, rng.choice(knowledge), {"kind": "joint_research", "synthetic": True}
                )
            )
    return Batch(f"bench-{key}", nodes, rels)

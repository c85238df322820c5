"""A small hand-built batch with known answers, for the web app's logic and console tests.

Three model regions with a few of their institutions and a handful of flagged synthetic firms and
ties: small enough that a test can state its answers (paths, neighbours, exports) by hand. The
product's own data comes from ``seeds``: the sourced real layer and the demo layer
(``seeds.seed_batch``), and sized synthetic regions for benchmarks (``seeds.synthetic_region``).
"""

from __future__ import annotations

from graph.batch import Batch, NodeRecord, RelRecord
from graph.identifiers import corporate_number_check_digit

__all__ = ["hand_built_batch", "synthetic_corporate_number"]

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

"""The synthetic layer: deterministic demo firms and engagements on top of the real skeleton.

Why synthetic at all: no public source lists which SME a よろず支援拠点 helped in which year, so a
demo, the tests and the benchmarks need made-up engagements. Every node and tie made here carries
``synthetic: true`` and ``source: seed:synthetic`` so that the UI, reports and ``--real-only``
views can leave them out; real organisations keep their real properties and only gain flagged ties.

Sizes (``scale=1``) and why
---------------------------
- **Aomori, 120 firms** (8 % startups): a prefecture of about 1.2 M people whose patenting SMEs are
  few and concentrated in food, marine and primary-industry processing (apples, scallops, sake);
  technology fields A23L, A23B, A23N, A01K, A01G, C12G, plus health data (G16H, A61K) around
  弘前大学's health big-data programme.
- **Ishikawa, 150 firms** (10 % startups): a similar population but a dense machinery base (machine
  tools, textile machinery, packaging, displays; 40 "niche-top" firms counted in 2006), so more
  patenting SMEs: B23Q, B23B, B24B, D03D, D03J, G06F, H01L, B65B, G09G, E04B.
- **Kobe, 200 firms** (20 % startups): a city of 1.5 M with heavy industry, rubber and steel and the
  biomedical cluster around FBRI (several hundred firms), hence the most firms and startups:
  B60C, C08L, C21D, A61K, A61B, G01N, C12N, B63H, F02C, B25J, A43B, F16G.

``scale`` multiplies the firm counts (``scale=400`` gives about 1.9 × 10^5 firms for benchmarks).
Generation is O(firms): every firm draws a bounded number of ties, partners are drawn from
per-field buckets, and only the referrals between the few dozen real support bodies are pairwise.

Who supports whom is not hard-coded: the real support bodies, banks, governments, universities and
公設試 of a region are found in the real batch by role label, region (``LOCATED_IN`` or ``SERVES``)
and ``support_kind``; the programmes and phases a body delivers follow from its ``support_kind``.

Planted gaps (what analytics must find; :func:`planted_gaps` returns them with ids)
-------------------------------------------------------------------------------------
1. ``no_expansion_support`` — in each region about 10 % of firms (plus Ishikawa's Noto cluster,
   below) are supported only by bodies that never serve the expansion phase (chambers, incubators,
   the FBRI cluster), which refer nobody onwards: no expansion support is reachable from them.
2. ``liaison_gaps`` — in **Aomori** the よろず支援拠点 operator and the INPIT 知財総合支援窓口
   operator never refer to each other (in Ishikawa and Kobe they do, both ways).
3. ``missing_roles`` — **Aomori** has no JETRO tie used for expansion (ジェトロ青森 supports nobody
   and is referred to by nobody); **Ishikawa** has no bank in 知財金融 (no ``ip_finance_report``).
4. ``isolated`` — ``max(2, round(2 × scale))`` firms per region with no support, collaboration or
   finance tie (only their seat and technology fields).
5. ``fragile_bridges`` — in **Ishikawa** a cluster of six Noto firms (輪島) tied to each other by
   co-applications and to the rest of the network only through one SUPPORTS tie from a chamber
   of commerce (輪島's where the real layer has it, else the region's first) to one anchor firm:
   the chamber and the anchor are articulation points and their tie is a bridge.
6. ``unmet_matches`` — in each region three firms active in the first technology field of the
   region's first university (by id) that have no tie to that university.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Final

from graph.batch import Batch, NodeRecord, Origin, RelRecord
from graph.errors import InputError
from graph.schema import PHASES, REL_SPECS, relationship_key, role_label

__all__ = ["DEFAULT_SEED", "REGION_PROFILES", "SYNTHETIC_SOURCE", "planted_gaps", "synthetic_batch"]

SYNTHETIC_SOURCE: Final = "seed:synthetic"
DEFAULT_SEED: Final = 20240401
FISCAL_YEARS: Final = (2022, 2023, 2024, 2025)
_ORIGIN: Final = Origin("seeds/synthetic.py")


@dataclass(frozen=True)
class RegionProfile:
    """How one region's synthetic firms look: how many, which fields, where, how they are named."""

    firms: int
    startup_share: float
    tech: tuple[tuple[str, int], ...]  # (IPC subclass, weight)
    cities: tuple[str, ...]
    places: tuple[tuple[str, str], ...]  # (Japanese, romanised) place words for names
    prefecture_code: str


REGION_PROFILES: Final[dict[str, RegionProfile]] = {
    "aomori": RegionProfile(
        120,
        0.08,
        (("A23L", 6), ("A23B", 3), ("A01K", 4), ("A01G", 4), ("C12G", 2), ("A23N", 1), ("G16H", 1), ("A61K", 1)),
        ("02201", "02202", "02203", "02204", "02205", "02206", "02207", "02208"),
        (("津軽", "Tsugaru"), ("南部", "Nambu"), ("八甲田", "Hakkoda"), ("陸奥", "Mutsu"), ("下北", "Shimokita")),
        "02",
    ),
    "ishikawa": RegionProfile(
        150,
        0.10,
        (
            ("B23Q", 5),
            ("B23B", 3),
            ("D03D", 3),
            ("D03J", 2),
            ("G06F", 3),
            ("H01L", 2),
            ("B65B", 2),
            ("G09G", 1),
            ("B24B", 1),
            ("E04B", 1),
        ),
        ("17201", "17202", "17203", "17204", "17205", "17206", "17209", "17210", "17211", "17212"),
        (("加賀", "Kaga"), ("能登", "Noto"), ("白山", "Hakusan"), ("兼六", "Kenroku"), ("手取", "Tedori")),
        "17",
    ),
    "kobe": RegionProfile(
        200,
        0.20,
        (
            ("A61K", 4),
            ("G01N", 3),
            ("A61B", 3),
            ("C12N", 2),
            ("B60C", 2),
            ("C08L", 2),
            ("C21D", 2),
            ("B63H", 1),
            ("F02C", 1),
            ("B25J", 1),
            ("A43B", 1),
            ("F16G", 1),
        ),
        ("28101", "28102", "28105", "28106", "28107", "28108", "28109", "28110", "28111"),
        (("六甲", "Rokko"), ("摩耶", "Maya"), ("須磨", "Suma"), ("湊", "Minato"), ("垂水", "Tarumi")),
        "28",
    ),
}

#: IPC subclass → (title, industry in words, name word, English name word).
TECH: Final[dict[str, tuple[str, str, str, str]]] = {
    "A23L": (
        "Foods, foodstuffs or non-alcoholic beverages; their preparation or treatment",
        "食品製造",
        "フーズ",
        "Foods",
    ),
    "A23B": ("Preservation of foods, foodstuffs or non-alcoholic beverages", "食品加工・保存", "食品", "Food"),
    "A23N": (
        "Machines or apparatus for treating harvested fruit or vegetables",
        "農産物加工機械",
        "農機",
        "Agri Machinery",
    ),
    "A01K": ("Animal husbandry; fishing; aquaculture", "水産・養殖", "マリン", "Marine"),
    "A01G": ("Horticulture; cultivation of vegetables, flowers, fruit; forestry", "農業・園芸", "アグリ", "Agri"),
    "C12G": ("Wine; other alcoholic beverages", "酒類製造", "酒造", "Brewery"),
    "G16H": ("Healthcare informatics", "ヘルスケアIT", "ヘルスデータ", "Health Data"),
    "A61K": ("Preparations for medical, dental or toiletry purposes", "医薬品・化粧品", "ファーマ", "Pharma"),
    "B23Q": ("Details, components or accessories for machine tools", "工作機械", "精機", "Precision"),
    "B23B": ("Turning; boring", "工作機械", "工機", "Machine Works"),
    "B24B": ("Machines, devices or processes for grinding or polishing", "研削・研磨", "研磨", "Polishing"),
    "D03D": ("Woven fabrics; methods of weaving; looms", "繊維・織物", "織物", "Textiles"),
    "D03J": ("Auxiliary weaving apparatus; weavers' tools; shuttles", "繊維機械", "繊機", "Loom Works"),
    "G06F": ("Electric digital data processing", "ソフトウェア・情報処理", "システムズ", "Systems"),
    "H01L": ("Semiconductor devices", "半導体", "セミコン", "Semicon"),
    "B65B": ("Machines, apparatus or devices for packaging", "包装機械", "包装機", "Packaging"),
    "G09G": ("Arrangements or circuits for control of indicating devices", "表示装置", "ディスプレイ", "Display"),
    "E04B": ("General building constructions; walls; partitions", "建材", "建材", "Building Materials"),
    "B60C": ("Vehicle tyres", "タイヤ・ゴム", "ラバー", "Rubber"),
    "C08L": ("Compositions of macromolecular compounds", "化学・樹脂", "ケミカル", "Chemical"),
    "C21D": ("Modifying the physical structure of ferrous metals; heat treatment", "鉄鋼", "鋼材", "Steel"),
    "G01N": (
        "Investigating or analysing materials by their chemical or physical properties",
        "計測・分析機器",
        "計測",
        "Instruments",
    ),
    "B63H": ("Marine propulsion or steering", "造船・舶用", "舶用", "Marine Engineering"),
    "F02C": ("Gas-turbine plants; air intakes for jet-propulsion plants", "重工業・エネルギー", "タービン", "Turbines"),
    "C12N": ("Microorganisms or enzymes; cell culture", "バイオテクノロジー", "バイオ", "Bio"),
    "A61B": ("Diagnosis; surgery; identification", "医療機器", "メディカル", "Medical"),
    "B25J": ("Manipulators; robots", "ロボット", "ロボティクス", "Robotics"),
    "A43B": ("Characteristic features of footwear; parts of footwear", "靴・スポーツ用品", "シューズ", "Shoes"),
    "F16G": ("Belts, cables or ropes", "ベルト・伝動部品", "ベルト", "Belting"),
}

#: What a support body delivers, by ``support_kind``: (programme id, phases it serves in it).
SUPPORT_MENU: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "ip_window_operator": (("ip_window", PHASES),),
    "yorozu": (("yorozu", PHASES),),
    "invention_association": (("ip_window", ("ideation", "launch")),),
    "ip_support_center": (("ip_window", ("ideation", "launch")),),
    "ip_agency": (("ipl_support", ("ideation", "launch")), ("ip_expert", ("ideation",))),
    "jetro": (("overseas_filing", ("expansion",)), ("overseas_infringement", ("expansion",))),
    "smrj": (("yorozu", ("launch",)),),
    "chamber": (("model_region", ("ideation",)),),
    "incubator": (("model_region", ("ideation", "launch")),),
    "cluster": (("model_region", ("launch",)),),
    "professional": (("ip_window", ("ideation", "expansion")),),
}
#: Relative chance that a firm's engagement comes from a body of this kind.
SUPPORT_WEIGHT: Final[dict[str, int]] = {
    "ip_window_operator": 6,
    "yorozu": 6,
    "invention_association": 2,
    "ip_support_center": 2,
    "ip_agency": 2,
    "jetro": 2,
    "smrj": 1,
    "chamber": 2,
    "incubator": 1,
    "cluster": 2,
    "professional": 2,
}
#: Kinds that never serve the expansion phase and refer nobody onwards (the no-expansion cohort's bodies).
LOCAL_ONLY_KINDS: Final = frozenset({"chamber", "incubator", "cluster"})

# --- the planted gaps, as configuration --------------------------------------------------------------
LIAISON_GAP: Final[dict[str, tuple[str, str]]] = {"aomori": ("yorozu", "ip_window_operator")}
MISSING_KINDS: Final[dict[str, frozenset[str]]] = {"aomori": frozenset({"jetro"})}
NO_IP_FINANCE: Final = frozenset({"ishikawa"})
BRIDGE_REGION: Final = "ishikawa"
BRIDGE_CITY: Final = "17204"  # 輪島市: the Noto cluster and its chamber of commerce
BRIDGE_SIZE: Final = 6
UNMET_PER_REGION: Final = 3
NO_EXPANSION_SHARE: Final = 0.10


def _isolated_count(scale: float) -> int:
    return max(2, round(2 * scale))


def _firm_count(profile: RegionProfile, region: str, scale: float) -> int:
    """Firms in a region: the profile's count times ``scale``, never fewer than the planted cohorts need."""
    floor = _isolated_count(scale) + (BRIDGE_SIZE if region == BRIDGE_REGION else 0) + 3 + UNMET_PER_REGION + 6
    return max(floor, round(profile.firms * scale))


def _firm_id(region: str, index: int) -> str:
    return f"org:syn-{region}-{index:05d}"


# --- what the real batch offers ---------------------------------------------------------------------


@dataclass
class _RegionBodies:
    """The real organisations of one region the generator draws on, each list sorted by id."""

    supporters: list[tuple[str, str]] = field(default_factory=list)  # (id, kind)
    lenders: list[str] = field(default_factory=list)
    governments: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)  # universities and 公設試
    universities: list[str] = field(default_factory=list)
    city_of: dict[str, str] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[str]:
        return [oid for oid, k in self.supporters if k == kind]


@dataclass
class _Real:
    regions: dict[str, _RegionBodies]
    successor: dict[str, str]  # bank → the bank that succeeded it
    predecessors: dict[str, list[str]]


def _read_real(real: Batch) -> _Real:
    """Index the real batch: each region's bodies by role and kind, bank successions.

    A body belongs to a region when it is ``LOCATED_IN`` or ``SERVES`` it (the same rule as the
    region view). Lenders are financial institutions that are not a holding company (no other
    financial institution is ``PART_OF`` them); subsidy givers are the region's top-level
    governments (no ``PART_OF`` parent), so bureau offices and divisions are left out.
    """
    nodes = {n.id: n for n in real.nodes}
    role = {n.id: role_label(n.labels) for n in real.nodes}
    placed: dict[str, set[str]] = defaultdict(set)
    seated: dict[str, set[str]] = defaultdict(set)
    parents: set[str] = set()
    has_parent: set[str] = set()
    successor: dict[str, str] = {}
    predecessors: dict[str, list[str]] = defaultdict(list)
    for rel in real.relationships:
        if rel.type in ("LOCATED_IN", "SERVES"):
            region = rel.target.removeprefix("region:")
            placed[region].add(rel.source)
            if rel.type == "LOCATED_IN":
                seated[region].add(rel.source)
        elif rel.type == "PART_OF":
            has_parent.add(rel.source)
            if role.get(rel.source) == role.get(rel.target) == "FinancialInstitution":
                parents.add(rel.target)
        elif rel.type == "SUCCEEDED_BY":
            successor[rel.source] = rel.target
            predecessors[rel.target].append(rel.source)
    regions: dict[str, _RegionBodies] = {}
    for region in REGION_PROFILES:
        bodies = _RegionBodies()
        for oid in sorted(placed[region]):
            props = nodes[oid].props
            bodies.city_of[oid] = str(props.get("city_code", ""))
            match role[oid]:
                case "SupportOrganization" if props.get("support_kind") in SUPPORT_MENU:
                    bodies.supporters.append((oid, str(props["support_kind"])))
                case "ProfessionalBody":
                    bodies.supporters.append((oid, "professional"))
                case "FinancialInstitution" if oid not in parents:
                    bodies.lenders.append(oid)
                case "GovernmentBody" if oid not in has_parent and oid in seated[region]:
                    bodies.governments.append(oid)
                case "University" | "ResearchInstitute" if oid in seated[region]:
                    bodies.partners.append(oid)
                    if role[oid] == "University":
                        bodies.universities.append(oid)
        regions[region] = bodies
    return _Real(regions, successor, {k: sorted(v) for k, v in predecessors.items()})


def _partner_fields(region: str, index: int) -> list[str]:
    """Technology fields of the region's ``index``-th university or 公設試 (a fixed rule, not random,
    so that the planted unmet matches are known without generating the batch)."""
    codes = [code for code, _ in REGION_PROFILES[region].tech]
    return sorted({codes[index % len(codes)], codes[(index + 1) % len(codes)], codes[(index + 3) % len(codes)]})


@dataclass(frozen=True)
class _Cohorts:
    """Firm indices (1-based) of each planted cohort in one region."""

    isolated: range
    bridge: range
    no_expansion: range
    unmet: range
    total: int


def _cohorts(region: str, scale: float) -> _Cohorts:
    total = _firm_count(REGION_PROFILES[region], region, scale)
    iso = _isolated_count(scale)
    bridge = BRIDGE_SIZE if region == BRIDGE_REGION else 0
    no_exp = max(3, round(NO_EXPANSION_SHARE * total))
    start = 1
    ranges: list[range] = []
    for size in (iso, bridge, no_exp, UNMET_PER_REGION):
        ranges.append(range(start, start + size))
        start += size
    isolated, bridged, no_expansion, unmet = ranges
    return _Cohorts(isolated, bridged, no_expansion, unmet, total=total)


def _bridge_chamber(bodies: _RegionBodies) -> str:
    chambers = bodies.of_kind("chamber")
    return next((c for c in chambers if bodies.city_of.get(c) == BRIDGE_CITY), chambers[0])


def planted_gaps(real: Batch, *, scale: float = 1.0) -> dict[str, Any]:
    """The gaps :func:`synthetic_batch` plants, with the ids of the organisations involved.

    They hold for every ``seed`` (the cohorts are chosen by rule, not by the random generator) and
    are listed in the module docstring. Keys: ``no_expansion_support`` (firm ids), ``liaison_gaps``
    (``{"region", "between": [a, b]}``), ``missing_roles`` (region → list of what is missing:
    ``jetro`` for expansion, ``ip_finance`` for a bank in 知財金融), ``isolated`` (firm ids),
    ``fragile_bridges`` (``{"region", "articulation_points", "bridge", "cluster"}``) and
    ``unmet_matches`` (``{"region", "firm", "partner", "field"}``).
    """
    info = _read_real(real)
    gaps: dict[str, Any] = {
        "no_expansion_support": [],
        "liaison_gaps": [],
        "missing_roles": {},
        "isolated": [],
        "fragile_bridges": [],
        "unmet_matches": [],
    }
    for region in REGION_PROFILES:
        bodies = info.regions[region]
        cohorts = _cohorts(region, scale)
        gaps["isolated"] += [_firm_id(region, i) for i in cohorts.isolated]
        gaps["no_expansion_support"] += [_firm_id(region, i) for i in (*cohorts.bridge, *cohorts.no_expansion)]
        if region in LIAISON_GAP:
            kind_a, kind_b = LIAISON_GAP[region]
            for a in bodies.of_kind(kind_a):
                for b in bodies.of_kind(kind_b):
                    gaps["liaison_gaps"].append({"region": region, "between": [a, b]})
        missing = sorted(MISSING_KINDS.get(region, ())) + (["ip_finance"] if region in NO_IP_FINANCE else [])
        if missing:
            gaps["missing_roles"][region] = missing
        if cohorts.bridge:
            cluster = [_firm_id(region, i) for i in cohorts.bridge]
            chamber = _bridge_chamber(bodies)
            gaps["fragile_bridges"].append(
                {
                    "region": region,
                    "articulation_points": [chamber, cluster[0]],
                    "bridge": [chamber, cluster[0]],
                    "cluster": cluster,
                }
            )
        if bodies.universities:
            partner = bodies.universities[0]
            field_ = _partner_fields(region, bodies.partners.index(partner))[0]
            gaps["unmet_matches"] += [
                {"region": region, "firm": _firm_id(region, i), "partner": partner, "field": field_}
                for i in cohorts.unmet
            ]
    return gaps


# --- generation -------------------------------------------------------------------------------------


class _Out:
    """Collects records, flags them synthetic, and drops repeats of a relationship identity.

    A repeat with other values would make the batch invalid (two conflicting versions of one tie),
    so the first draw wins; the random generator may well draw the same pair twice.
    """

    def __init__(self) -> None:
        self.nodes: list[NodeRecord] = []
        self.rels: list[RelRecord] = []
        self._seen: set[tuple[str, str, str, str]] = set()

    def node(self, node_id: str, labels: tuple[str, ...], props: dict[str, Any]) -> None:
        props.update(synthetic=True, source=SYNTHETIC_SOURCE)
        self.nodes.append(NodeRecord(node_id, labels, props, _ORIGIN))

    def rel(self, rel_type: str, source: str, target: str, **props: Any) -> bool:
        identity = (source, rel_type, target, relationship_key(rel_type, props) if REL_SPECS[rel_type].key else "")
        if identity in self._seen:
            return False
        self._seen.add(identity)
        props.update(synthetic=True, source=SYNTHETIC_SOURCE)
        self.rels.append(RelRecord(rel_type, source, target, props, _ORIGIN))
        return True

    def in_phase_order(self, first: int) -> None:
        """Re-date one firm's supports (``rels[first:]``) so that its phases come in order (issue 21).

        A firm is supported in 構想 before 立上 and in 立上 before 拡大: the fiscal years drawn for its
        supports are handed out again, earliest to the earliest phase, so its journey is plausible.
        No draw is added (the rest of the demo layer stays as it was); a tie whose new year would
        repeat another tie of the same identity keeps its own year. Its ``PARTICIPATES_IN`` moves with it.
        """
        supports = [r for r in self.rels[first:] if r.type == "SUPPORTS"]
        years = sorted(int(r.props["fiscal_year"]) for r in supports)
        ordered = sorted(supports, key=lambda r: (PHASES.index(r.props["phase"]), r.props["fiscal_year"]))
        for record, year in zip(ordered, years, strict=True):
            old = record.props["fiscal_year"]
            if year != old and self._redate(record, year):
                for other in self.rels[first:]:
                    same = (other.props.get("programme", other.target), other.props.get("phase"))
                    if (
                        other.type == "PARTICIPATES_IN"
                        and other.props.get("fiscal_year") == old
                        and same
                        == (
                            record.props["programme"],
                            record.props["phase"],
                        )
                    ):
                        self._redate(other, year)

    def _redate(self, record: RelRecord, year: int) -> bool:
        moved = relationship_key(record.type, {**record.props, "fiscal_year": year})
        identity = (record.source, record.type, record.target, moved)
        if identity in self._seen:
            return False
        self._seen.discard(record.identity)
        record.props["fiscal_year"] = year
        self._seen.add(identity)
        return True

    def has(self, source: str, rel_type: str, target: str, key: str = "") -> bool:
        return (source, rel_type, target, key) in self._seen


@dataclass
class _Firm:
    id: str
    region: str
    fields: list[str]
    startup: bool


def _weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([code for code, _ in items], weights=[w for _, w in items])[0]


def _make_firm(
    out: _Out, rng: random.Random, region: str, index: int, first_field: str | None, city: str | None
) -> _Firm:
    profile = REGION_PROFILES[region]
    fields = [first_field] if first_field else []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        code = _weighted(rng, profile.tech)
        if code not in fields:
            fields.append(code)
    startup = rng.random() < profile.startup_share
    place, place_en = rng.choice(profile.places)
    _, industry, word, word_en = TECH[fields[0]]
    legal, legal_en = rng.choice((("株式会社", "Co., Ltd."), ("株式会社", "Co., Ltd."), ("合同会社", "LLC")))
    founded = date(rng.randint(2015, 2024) if startup else rng.randint(1950, 2014), rng.randint(1, 12), 1)
    employees = rng.randint(2, 30) if startup else min(300, int(rng.paretovariate(1.2) * 8))
    firm_id = _firm_id(region, index)
    out.node(
        firm_id,
        ("Organization", "Company"),
        {
            "name": f"{legal}デモ{place}{word}{index}",
            "name_en": f"Demo {place_en} {word_en} {index} {legal_en}",
            "prefecture_code": profile.prefecture_code,
            "city_code": city or rng.choice(profile.cities),
            "industry": industry,
            "tech_fields": fields,
            "startup": startup,
            "employees": employees,
            "founded": founded.isoformat(),
        },
    )
    out.rel("LOCATED_IN", firm_id, f"region:{region}")
    for code in fields:
        out.rel("ACTIVE_IN", firm_id, f"tech:{code}", patents=min(200, int(rng.paretovariate(1.3) * 2)))
    return _Firm(firm_id, region, fields, startup)


def _support(
    out: _Out, rng: random.Random, firm: _Firm, body: str, kind: str, phases: Iterable[str]
) -> tuple[str, str] | None:
    """One SUPPORTS engagement from ``body`` in one of ``phases`` it serves; returns (programme, phase)."""
    allowed = set(phases)
    menu = [(prog, phase) for prog, served in SUPPORT_MENU[kind] for phase in served if phase in allowed]
    if not menu:
        return None
    programme, phase = rng.choice(menu)
    fiscal_year = rng.choice(FISCAL_YEARS)
    out.rel("SUPPORTS", body, firm.id, programme=f"prog:{programme}", phase=phase, fiscal_year=fiscal_year)
    if programme in ("model_region", "overseas_filing", "ipl_support"):
        out.rel("PARTICIPATES_IN", firm.id, f"prog:{programme}", fiscal_year=fiscal_year, phase=phase)
    return programme, phase


def _lender(rng: random.Random, info: _Real, lenders: list[str], fiscal_year: int) -> str:
    """A bank that existed in that fiscal year: merged banks lend until FY2024, their successor from FY2025."""
    bank = rng.choice(lenders)
    if fiscal_year >= 2025 and bank in info.successor:
        return info.successor[bank]
    if fiscal_year < 2025 and bank in info.predecessors:
        return rng.choice(info.predecessors[bank])
    return bank


def _referrals(out: _Out, rng: random.Random, region: str, bodies: _RegionBodies) -> None:
    """REFERS_TO between the region's support bodies, with the liaison gap and missing role planted."""
    missing = MISSING_KINDS.get(region, frozenset())
    referrers = [(b, k) for b, k in bodies.supporters if k not in LOCAL_ONLY_KINDS and k not in missing]
    gap = LIAISON_GAP.get(region)
    for a, kind_a in referrers:
        for b, kind_b in referrers:
            if a == b:
                continue
            pair = {kind_a, kind_b}
            if gap and pair == set(gap):
                continue
            liaison = pair == {"yorozu", "ip_window_operator"}
            if liaison or rng.random() < 0.35:
                out.rel("REFERS_TO", a, b, weight=float(rng.randint(1, 24)))
    for a, _ in [r for r in referrers if r[1] == "yorozu"]:
        for b, kind_b in bodies.supporters:
            if kind_b in LOCAL_ONLY_KINDS:
                out.rel("REFERS_TO", a, b, weight=float(rng.randint(1, 12)))


def synthetic_batch(real: Batch, *, scale: float = 1.0, seed: int = DEFAULT_SEED) -> Batch:
    """The synthetic layer for the three model regions, drawn deterministically from ``seed``.

    Parameters
    ----------
    real
        The real skeleton (``seeds.real_seed_batch()``): the support bodies, banks, governments and
        universities of each region are read from it, and every tie made here points at its ids.
    scale
        Multiplies the firm counts of :data:`REGION_PROFILES` (``1.0`` ≈ 470 firms).
    seed
        Seed of the one ``random.Random`` used; the same seed and scale give the same batch.

    Returns
    -------
    Batch
        Source ``seed:synthetic``; every node and relationship has ``synthetic: true``. It is valid
        only together with ``real`` (its ties point at real ids).
    """
    if scale <= 0:
        msg = f"the demo scale must be positive, got {scale}"
        raise InputError(msg)
    rng = random.Random(seed)
    info = _read_real(real)
    out = _Out()
    used_fields = {code for profile in REGION_PROFILES.values() for code, _ in profile.tech}
    for code in sorted(used_fields):
        title = TECH[code][0]
        out.node(f"tech:{code}", ("TechField",), {"scheme": "IPC", "code": code, "title": title, "name": code})
    for region in REGION_PROFILES:
        _region(out, rng, info, region, scale)
    return Batch(SYNTHETIC_SOURCE, out.nodes, out.rels)


def _region(out: _Out, rng: random.Random, info: _Real, region: str, scale: float) -> None:
    bodies = info.regions[region]
    cohorts = _cohorts(region, scale)
    missing = MISSING_KINDS.get(region, frozenset())
    usable = [(b, k) for b, k in bodies.supporters if k not in missing]
    supporters = [(b, k) for b, k in usable if k not in LOCAL_ONLY_KINDS]
    local_only = [(b, k) for b, k in usable if k in LOCAL_ONLY_KINDS]
    weights = [SUPPORT_WEIGHT[k] for _, k in supporters]
    partner_fields = {p: _partner_fields(region, i) for i, p in enumerate(bodies.partners)}
    partners_by_field: dict[str, list[str]] = defaultdict(list)
    for partner, fields in partner_fields.items():
        for code in fields:
            partners_by_field[code].append(partner)
            out.rel("ACTIVE_IN", partner, f"tech:{code}", patents=rng.randint(3, 60))
    unmet_partner = bodies.universities[0] if bodies.universities else None
    unmet_field = partner_fields[unmet_partner][0] if unmet_partner else None
    _referrals(out, rng, region, bodies)

    firms_by_field: dict[str, list[_Firm]] = defaultdict(list)
    regular: list[_Firm] = []
    bridge: list[_Firm] = []
    for index in range(1, cohorts.total + 1):
        first = unmet_field if index in cohorts.unmet else None
        firm = _make_firm(out, rng, region, index, first, BRIDGE_CITY if index in cohorts.bridge else None)
        if index in cohorts.bridge:
            bridge.append(firm)
            continue
        if index in cohorts.isolated:
            continue
        _firm_support(out, rng, firm, index in cohorts.no_expansion, supporters, weights, local_only)
        regular.append(firm)
        for code in firm.fields:
            firms_by_field[code].append(firm)

    unmet_firms = {_firm_id(region, i) for i in cohorts.unmet}
    for firm in regular:
        excluded = unmet_partner if firm.id in unmet_firms else None
        _collaborations(out, rng, firm, partners_by_field, excluded, firms_by_field)
        _finance(out, rng, info, region, bodies, firm)

    if bridge:
        _bridge(out, rng, bodies, bridge)


def _firm_support(
    out: _Out,
    rng: random.Random,
    firm: _Firm,
    no_expansion: bool,
    supporters: list[tuple[str, str]],
    weights: list[int],
    local_only: list[tuple[str, str]],
) -> None:
    """The support one regular firm receives; a planted no-expansion firm only from a local-only body."""
    if no_expansion and local_only:
        body, kind = rng.choice(local_only)
        _support(out, rng, firm, body, kind, ("ideation", "launch"))
        return
    stage = rng.choices(range(3), weights=(3, 4, 4))[0]
    first = len(out.rels)
    for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
        body, kind = rng.choices(supporters, weights=weights)[0]
        _support(out, rng, firm, body, kind, PHASES[: stage + 1])
    if firm.startup and local_only and rng.random() < 0.5:
        body, kind = rng.choice(local_only)
        _support(out, rng, firm, body, kind, PHASES)
    if firm.startup and rng.random() < 0.25:
        out.rel("PARTICIPATES_IN", firm.id, "prog:ipas", fiscal_year=rng.choice(FISCAL_YEARS), phase="ideation")
    out.in_phase_order(first)


def _collaborations(
    out: _Out,
    rng: random.Random,
    firm: _Firm,
    partners_by_field: Mapping[str, list[str]],
    excluded: str | None,
    firms_by_field: Mapping[str, list[_Firm]],
) -> None:
    """Maybe a joint-research tie to a partner in a field of the firm (never ``excluded``), maybe a co-application."""
    if rng.random() < 0.3:
        candidates = [p for code in firm.fields for p in partners_by_field.get(code, ())]
        if excluded is not None:
            candidates = [p for p in candidates if p != excluded]
        if candidates:
            partner = rng.choice(candidates)
            fy = rng.choice(FISCAL_YEARS)
            out.rel(
                "COLLABORATES_WITH",
                firm.id,
                partner,
                kind="joint_research",
                weight=float(rng.randint(1, 5)),
                fiscal_year=fy,
            )
    if rng.random() < 0.15:
        peers = firms_by_field[rng.choice(firm.fields)]
        other = rng.choice(peers)
        if other.id != firm.id and not out.has(other.id, "COLLABORATES_WITH", firm.id, "co_application"):
            out.rel("COLLABORATES_WITH", firm.id, other.id, kind="co_application", weight=float(rng.randint(1, 8)))


def _bridge(out: _Out, rng: random.Random, bodies: _RegionBodies, bridge: list[_Firm]) -> None:
    """The planted bridge: the chamber supports the first firm; the firms co-apply in a ring."""
    chamber = _bridge_chamber(bodies)
    _support(out, rng, bridge[0], chamber, "chamber", PHASES)
    for a, b in itertools.pairwise(bridge):
        out.rel("COLLABORATES_WITH", a.id, b.id, kind="co_application", weight=float(rng.randint(1, 4)))
    out.rel("COLLABORATES_WITH", bridge[-1].id, bridge[1].id, kind="co_application", weight=1.0)


def _finance(out: _Out, rng: random.Random, info: _Real, region: str, bodies: _RegionBodies, firm: _Firm) -> None:
    """Loans, 知財金融 reports and subsidies for one firm (none of them for the planted isolated firms)."""
    if bodies.lenders and rng.random() < 0.35:
        fy = rng.choice(FISCAL_YEARS)
        bank = _lender(rng, info, bodies.lenders, fy)
        amount = float(rng.randint(5, 100) * 1_000_000)
        out.rel("FINANCES", bank, firm.id, kind="loan", amount=amount, title="事業性融資", fiscal_year=fy)
    if bodies.lenders and region not in NO_IP_FINANCE and rng.random() < 0.08:
        fy = rng.choice(FISCAL_YEARS)
        bank = _lender(rng, info, bodies.lenders, fy)
        out.rel("FINANCES", bank, firm.id, kind="ip_finance_report", title="知財ビジネス評価書", fiscal_year=fy)
    if bodies.governments and rng.random() < 0.12:
        fy = rng.choice(FISCAL_YEARS)
        amount = float(rng.randint(5, 50) * 100_000)
        gov = rng.choice(bodies.governments)
        out.rel("FINANCES", gov, firm.id, kind="subsidy", amount=amount, title="知財活用補助金（架空）", fiscal_year=fy)


@cache
def _default_planted_gaps() -> dict[str, Any]:
    from seeds import real_seed_batch

    return planted_gaps(real_seed_batch())


def __getattr__(name: str) -> Any:
    """``PLANTED_GAPS``: the planted gaps of the bundled seed at scale 1, computed on first use."""
    if name == "PLANTED_GAPS":
        return _default_planted_gaps()
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)

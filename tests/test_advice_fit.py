# ruff: noqa: N803, N806  (G, H: graph names as in the literature)
"""Advice that reasons on fit (issue 20, items 3 and 5): suggestions and the worklist on a tiny region.

The region: a city hall ``CITY`` tied to most organisations (a hub); a food maker ``FOOD`` (JSIC
E09, an SME of 20 people), a hotel ``HOTEL`` (M75), a second food maker ``FOOD2`` sharing
keywords with ``FOOD``, a listed firm ``BIG``, a university ``UNI``, a bank ``OLDBANK`` merged into
``NEWBANK`` (SUCCEEDED_BY), an IP window ``WIN`` operating the 知財総合支援窓口 and a startup
accelerator ``ACC`` whose operator is ``INC``. ``LONE`` has no tie inside the region but two with
bodies outside it; ``NONE`` has no tie anywhere.
"""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.eligibility import eligible, target_groups
from analytics.fit import industry_relatedness
from analytics.gaps import find_gaps
from analytics.orggraph import organisation_graph
from analytics.phases import PhaseIndex
from analytics.profiles import firm_class, hubs, is_gone, successor
from analytics.recommend import recommend
from analytics.worklist import build_worklist, outside_ties
from graph.scope import region_subgraph
from graph.words import empty_reason, reasons_text
from reports.worklist import next_step_text, reason_text

PROV = {"synthetic": False, "source": "test", "evidence": "https://example.org/page"}

ORGS: dict[str, tuple[str, dict]] = {
    "CITY": ("GovernmentBody", {"name_en": "R City"}),
    "FOOD": ("Company", {"jsic": "E09", "employees": 20, "keywords": ["珍味", "水産加工"]}),
    "FOOD2": ("Company", {"jsic": "E09", "employees": 80, "keywords": ["水産加工", "冷凍"]}),
    "HOTEL": ("Company", {"jsic": "M75", "employees": 60}),
    "PLAIN1": ("Company", {}),
    "PLAIN2": ("Company", {}),
    "BIG": ("Company", {"jsic": "E29", "listed": True, "keywords": ["検査装置"]}),
    "UNI": ("University", {"keywords": ["検査装置", "水産加工"]}),
    "OLDBANK": ("FinancialInstitution", {}),
    "NEWBANK": ("FinancialInstitution", {}),
    "WIN": ("SupportOrganization", {"support_kind": "ip_window"}),
    "INC": ("SupportOrganization", {"support_kind": "incubator"}),
    "JET": ("SupportOrganization", {"support_kind": "jetro"}),
    "LONE": ("Company", {"employees": 10}),
    "NONE": ("Company", {"employees": 10}),
}


def tie(G: nx.MultiDiGraph, u: str, v: str, rel: str = "SUPPORTS", **attrs: object) -> None:
    G.add_edge(u, v, key=f"{rel}|{u}|{v}", type=rel, fiscal_year=2024, **attrs, **PROV)


def whole() -> nx.MultiDiGraph:
    """The whole graph: region R and two bodies of region O."""
    G = nx.MultiDiGraph()
    G.add_node("region:r", labels=["Region"], name="R市", name_en="R City", **PROV)
    G.add_node("region:o", labels=["Region"], name="O県", name_en="O Pref", **PROV)
    for node, (role, attrs) in ORGS.items():
        G.add_node(node, labels=["Organization", role], name=f"{node}名", **attrs, **PROV)
        G.add_edge(node, "region:r", key="LOCATED_IN|", type="LOCATED_IN", **PROV)
    for node in ("FAR1", "FAR2"):
        G.add_node(node, labels=["Organization", "SupportOrganization"], name=f"{node}名", **PROV)
        G.add_edge(node, "region:o", key="LOCATED_IN|", type="LOCATED_IN", **PROV)
    for firm in ("FOOD", "FOOD2", "HOTEL", "PLAIN1", "PLAIN2", "BIG", "UNI", "INC"):
        tie(G, "CITY", firm)  # the hub
    tie(G, "OLDBANK", "NEWBANK", "SUCCEEDED_BY", date="2025-01-01")
    tie(G, "OLDBANK", "FOOD2", "FINANCES", kind="loan")
    tie(G, "FAR1", "LONE")
    tie(G, "FAR2", "LONE")
    G.add_node(
        "prog:window", labels=["Programme"], name="知財総合支援窓口", phases=["ideation", "launch", "expansion"], **PROV
    )
    G.add_node("prog:acc", labels=["Programme"], name="R ACCELERATOR", phases=["launch", "expansion"], **PROV)
    G.add_node(
        "prog:sme",
        labels=["Programme"],
        name="中小企業補助",
        phases=["expansion"],
        target_groups=["sme"],
        cost="1/2",
        **PROV,
    )
    G.add_node("prog:used", labels=["Programme"], name="既に利用", phases=["launch"], **PROV)
    tie(G, "WIN", "prog:window", "OPERATES")
    tie(G, "INC", "prog:acc", "OPERATES")
    tie(G, "JET", "prog:sme", "OPERATES")
    tie(G, "JET", "prog:used", "OPERATES")
    tie(G, "FOOD", "prog:used", "PARTICIPATES_IN")
    return G


def region() -> nx.MultiDiGraph:
    return region_subgraph(whole(), "r")


@pytest.fixture(scope="module")
def view() -> nx.MultiDiGraph:
    return region()


class TestProfiles:
    def test_hub_and_succession(self, view: nx.MultiDiGraph) -> None:
        assert hubs(organisation_graph(view)) == {"CITY"}
        assert is_gone(view, "OLDBANK") and not is_gone(view, "NEWBANK")
        assert successor(view, "OLDBANK") == "NEWBANK"

    @given(st.integers(0, 10_000), st.integers(0, 10**10), st.booleans(), st.booleans())
    def test_listed_or_above_every_limit_is_large(
        self, employees: int, capital: int, listed: bool, startup: bool
    ) -> None:
        cls = firm_class({"employees": employees, "capital": capital, "listed": listed, "startup": startup})
        above = employees > 300 and capital > 300_000_000
        assert (cls == "large") == (listed or above)
        if cls != "large":
            assert cls == ("startup" if startup else "sme")

    def test_startup_programmes_are_told_by_their_words(self) -> None:
        assert target_groups({"name": "R ACCELERATOR"}) == (frozenset({"startup"}), True)
        assert target_groups({"name": "窓口", "target_groups": ["any"]}) == (frozenset({"any"}), False)
        assert not eligible(frozenset({"startup"}), "large")
        assert eligible(frozenset({"sme"}), "unknown") and not eligible(frozenset({"sme"}), "large")


class TestSuggestions:
    def test_a_hub_is_no_reason_and_a_tied_body_never_comes_back(self, view: nx.MultiDiGraph) -> None:
        out = recommend(view, "PLAIN1")
        assert out["partners"] == []  # PLAIN1 and PLAIN2 share only the city hall
        why = out["empty"]["partners"]  # a code; the surfaces say it
        assert "hub" in empty_reason(why["code"], "en") and "ハブ" in empty_reason(why["code"], "ja")
        for entry in (*out["support"], *out["programmes"]):
            assert entry["id"] != "CITY"

    def test_food_maker_partners_reason_on_fit(self, view: nx.MultiDiGraph) -> None:
        out = recommend(view, "FOOD")
        by_id = {p["id"]: p for p in out["partners"]}
        assert "CITY" not in by_id and "FOOD" not in by_id
        assert set(by_id) >= {"FOOD2", "HOTEL", "UNI"}
        assert {"industry", "keywords"} <= set(by_id["FOOD2"]["reason_kinds"])
        hotel = reasons_text(by_id["HOTEL"]["reasons"], "en")  # codes and values; the surfaces say them
        assert by_id["HOTEL"]["reason_kinds"][0] == "complement" and "hospitality" in hotel
        assert "水産加工" in reasons_text(by_id["UNI"]["reasons"], "ja")
        kinds = {k for lst in ("partners", "support", "programmes") for e in out[lst] for k in e["reason_kinds"]}
        assert len(kinds) >= 3

    def test_each_entry_once_and_never_a_programme_already_used(self, view: nx.MultiDiGraph) -> None:
        out = recommend(view, "FOOD")
        for lst in ("partners", "support", "programmes"):
            ids = [e["id"] for e in out[lst]]
            assert len(ids) == len(set(ids)), lst
        assert "prog:used" not in {p["id"] for p in out["programmes"]}
        window = next(p for p in out["programmes"] if p["id"] == "prog:window")
        assert window["phases"] == ["ideation", "launch", "expansion"]  # one entry for every phase it serves
        assert "ip_status" in window["reason_kinds"]

    def test_a_large_firm_gets_no_startup_programme(self, view: nx.MultiDiGraph) -> None:
        out = recommend(view, "BIG")
        assert out["participant"] == "large"
        ids = {p["id"] for p in out["programmes"]}
        assert "prog:acc" not in ids and "prog:sme" not in ids
        assert "prog:sme" in {p["id"] for p in recommend(view, "FOOD")["programmes"]}

    def test_a_merged_body_is_never_suggested(self, view: nx.MultiDiGraph) -> None:
        for org in ("FOOD", "FOOD2", "PLAIN1", "UNI"):
            out = recommend(view, org)
            assert "OLDBANK" not in {e["id"] for lst in ("partners", "support") for e in out[lst]}


@pytest.fixture(scope="class")
def cards() -> dict:
    """The worklist of the tiny region, built once for :class:`TestWorklist`."""
    full = region()
    H = organisation_graph(full)
    index = PhaseIndex(full)
    gaps = find_gaps(full, "r", H=H, index=index)["gaps"]
    outside = outside_ties(whole(), H)
    return {i.key: i for i in build_worklist(full, H, index, gaps, region="r", outside=outside).items}


class TestWorklist:
    def test_no_tie_inside_is_told_apart_from_no_tie_at_all(self, cards: dict) -> None:
        assert cards["LONE"].reason == "no_tie_inside" and cards["LONE"].facts["outside"] == 2
        assert "2" in reason_text(cards["LONE"], "en") and "R City" in reason_text(cards["LONE"], "en")
        assert cards["NONE"].reason == "no_tie"

    def test_next_step_names_a_body_not_tied_and_still_there(self, cards: dict) -> None:
        for key in ("FOOD", "FOOD2", "HOTEL", "PLAIN1", "LONE", "NONE"):
            card = cards.get(key)
            if card is None or card.next_step not in ("refer", "visit_refer"):
                continue
            named = card.facts["referral"]["ja"]
            assert named not in ("CITY名", "OLDBANK名"), key
            assert card.facts["why"] in (
                "ip_window",
                "ip_body",
                "first_stop",
                "programme",
                "ip_finance",
                "specialist",
                "serves",
            )
            text = next_step_text(card, "ja")
            assert named in text and "（" in text

    def test_a_listed_firm_is_only_in_the_large_section(self, cards: dict) -> None:
        assert cards["BIG"].section == "large" and cards["BIG"].next_step == "large"

    def test_an_sme_of_known_size_ranks_above_one_of_unknown_size(self, cards: dict) -> None:
        assert cards["FOOD"].priority > cards["PLAIN1"].priority

    def test_opportunity_counts_the_region_organisations_that_fit(self, cards: dict) -> None:
        parts = {p.key: p.value for p in cards["FOOD"].parts}
        # FOOD2 (same 中分類: 1), HOTEL (food and hospitality: 0.8), BIG (same 大分類: 0.6), UNI (research:
        # 0.8), and the keyword 水産加工 shared with FOOD2 and UNI (2): 5.2; the most is UNI's, 5.4 (three
        # makers it complements, 検査装置 shared with BIG and 水産加工 with the two food makers).
        assert parts["opportunity"] == pytest.approx(5.2 / 5.4, abs=1e-4)
        assert {p.key: p.value for p in cards["PLAIN1"].parts}["opportunity"] == 0.0


class TestRelatedness:
    @pytest.mark.parametrize(
        ("a", "b", "kind"),
        [
            (("E", "E09"), ("E", "E09"), "same_middle"),
            (("E", "E09"), ("M", "M75"), "complement"),  # a food maker and a hotel
            (("E", "E29"), ("M", "M75"), ""),  # a maker of analysers and a hotel: nothing in common
            (("E", "E29"), ("E", "E09"), "same_major"),
            (("E", "E29"), ("L", ""), "complement"),  # a maker and research
            (("", ""), ("E", "E09"), ""),  # unknown industry: no claim
        ],
    )
    def test_known_pairs(self, a: tuple[str, str], b: tuple[str, str], kind: str) -> None:
        assert industry_relatedness(a, b)[1] == kind
        assert industry_relatedness(b, a)[1] == kind


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_priority_part_and_referral_reason_has_words(lang: str) -> None:
    from analytics.worklist import PRIORITY_WEIGHTS
    from graph.words import t

    for key in PRIORITY_WEIGHTS:
        assert t(f"worklist.part.{key}", lang)
    for why in (
        "ip_window",
        "ip_body",
        "first_stop",
        "research_partner",
        "programme",
        "ip_finance",
        "specialist",
        "serves",
    ):
        assert t(f"worklist.why.{why}", lang, referral="X", why_phase="Y", programme="Z")

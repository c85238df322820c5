"""The worklist ranks and refers on the real layer (issue 20, item 5), for every model region.

Read as a producer of each region would read the first cards: priorities that tell cards apart, a
next step naming a body that still exists, is not tied to the firm yet and serves the firm's place,
referrals that vary with the firm's need, "no tie inside" told apart from "no tie at all", large
firms only in their own section, ranks without gaps, and the brief's gap count equal to the list's.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from analytics.nextstep import need_of
from analytics.phases import normalise_support_kind
from analytics.profiles import is_gone, place_of, tied_to
from analytics.service import AnalysisService
from analytics.worklist import SECTIONS, WorkItem, grouped
from graph.embedded import EmbeddedStore
from ipeco.cli import cli
from reports.collect import collect_region
from reports.worklist import item_name, members_text, next_step_text, reason_text
from tests.conftest import real_seed_home

#: The six model regions of the bundled real layer.
REGIONS = ("aomori", "ishikawa", "aichi", "kobe", "yamaguchi", "kumamoto")
#: Steps that name a body by its ``referral`` fact.
REFERRING = ("refer", "visit_refer", "research_partner", "ip_refer", "ip_partner")
FIRST = 20


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_seed_home(tmp_path_factory, "worklist-ranks")


@pytest.fixture(scope="module")
def service(home: Path) -> AnalysisService:
    return AnalysisService(EmbeddedStore(home / "ipeco.sqlite"))


def _body(graph: nx.MultiDiGraph, item: WorkItem) -> Any:
    """The node the card's next step names (by its Japanese name, as the card shows it)."""
    named = (item.facts.get("referral") or item.facts.get("body") or {}).get("ja")
    return next((n for n in graph if graph.nodes[n].get("name") == named), None) if named else None


def _shown(items: tuple[WorkItem, ...]) -> dict[str, list[WorkItem]]:
    """The first cards of the whole list and of each section (the page shows one table per section)."""
    return {"all": list(items[:FIRST]), **{s: [i for i in items if i.section == s][:FIRST] for s in SECTIONS}}


def test_the_model_regions_are_the_six(service: AnalysisService) -> None:
    assert set(service.model_regions()) == set(REGIONS)


@pytest.mark.parametrize("region", REGIONS)
class TestFirstCards:
    def test_at_most_three_share_a_priority(self, service: AnalysisService, region: str) -> None:
        for view, items in _shown(service.worklist(region).items).items():
            counts = Counter(f"{i.priority:.2f}" for i in items)
            assert max(counts.values(), default=0) <= 3, (region, view, counts.most_common(3))

    def test_next_step_names_a_body_there_untied_and_serving_the_place(
        self, service: AnalysisService, region: str
    ) -> None:
        graph = service.graph()
        for item in service.worklist(region).items[:FIRST]:
            if item.next_step not in REFERRING:
                continue
            body = _body(graph, item)
            assert body is not None, (region, item.key)
            assert not is_gone(graph, body), (region, item.key, body)
            for firm in (item.key, *(s for s in item.subjects if s != item.key and _is_member(item, graph, s))):
                assert body not in tied_to(graph, firm), (region, firm, body)
            kind = normalise_support_kind(graph.nodes[body].get("support_kind"))
            city = str(graph.nodes[body].get("city_code") or "")
            if kind in ("chamber", "commerce_association") and city:
                assert place_of(graph, item.key)[1] == city, (region, item.key, body)

    def test_every_referral_says_why(self, service: AnalysisService, region: str) -> None:
        for item in service.worklist(region).items[:FIRST]:
            if item.next_step in ("refer", "visit_refer", "research_partner"):
                assert item.facts.get("why"), (region, item.key)
                for lang in ("ja", "en"):
                    text = next_step_text(item, lang)
                    assert item.facts["referral"][lang] in text and "{" not in text, (region, item.key, text)

    def test_no_tie_inside_is_told_apart_from_no_tie(self, service: AnalysisService, region: str) -> None:
        for item in service.worklist(region).items:
            if item.reason == "no_tie":
                assert item.facts["outside"] == 0, (region, item.key)
            if item.reason == "no_tie_inside":
                outside = item.facts["outside"]
                assert outside > 0 and f"{outside}" in reason_text(item, "en"), (region, item.key)

    def test_large_firms_only_in_their_section(self, service: AnalysisService, region: str) -> None:
        for item in service.worklist(region).items:
            assert (item.size == "large") == (item.section == "large"), (region, item.key)
            if item.section == "large":  # a partner for SMEs (or a bridge to keep), never a firm to refer
                assert item.next_step not in ("refer", "visit_refer", "visit", "find_body"), (region, item.key)

    def test_ranks_are_consecutive(self, service: AnalysisService, region: str) -> None:
        items = service.worklist(region).items
        assert [i.rank for i in items] == list(range(1, len(items) + 1))

    def test_the_brief_counts_the_cards_of_the_list(self, service: AnalysisService, region: str) -> None:
        assert collect_region(service, region, figure=False).worklist == service.worklist(region).counts()


def _is_member(item: WorkItem, graph: nx.MultiDiGraph, node: str) -> bool:
    """A grouped card's other organisations (its subjects also hold a matched partner)."""
    return any(graph.nodes[node].get("name") == m["ja"] for m in item.members) if node in graph else False


class TestReferralsVaryByNeed:
    def test_kobe_does_not_send_everyone_to_one_body(self, service: AnalysisService) -> None:
        graph = service.graph()
        firms = [i for i in service.worklist("kobe").items[:FIRST] if i.next_step in REFERRING]
        bodies = Counter(_body(graph, i) for i in firms)
        whys = {i.facts.get("why") for i in firms}
        assert len(bodies) >= 3 and max(bodies.values()) <= len(firms) // 2, bodies
        assert len(whys) >= 3, whys

    def test_a_firm_with_rights_and_no_ip_support_goes_to_the_ip_window(self, service: AnalysisService) -> None:
        graph = service.graph()
        cards = [i for i in service.worklist("aomori").items if i.facts.get("why") == "ip_window"]
        assert cards
        for card in cards:
            assert normalise_support_kind(graph.nodes[_body(graph, card)].get("support_kind")) == "ip_window"

    def test_ishikawa_firms_are_not_sent_to_another_citys_chamber(self, service: AnalysisService) -> None:
        graph = service.graph()
        for item in service.worklist("ishikawa").items:
            if _body(graph, item) == "org:komatsu-cci":
                assert place_of(graph, item.key)[1] == "17203", item.key

    def test_no_gone_body_anywhere(self, service: AnalysisService) -> None:
        graph = service.graph()
        for region in REGIONS:
            for item in service.worklist(region).items:
                body = _body(graph, item)
                assert body is None or not is_gone(graph, body), (region, item.key, body)


class TestNeed:
    def test_a_university_has_no_first_stop(self) -> None:
        assert need_of(False, False, 0, supported=False, research_tie=False, firm=False).key == "phase"

    @pytest.mark.parametrize(
        ("ip_active", "reached", "awards", "supported", "research", "need"),
        [
            (True, False, 0, False, False, "ip_window"),
            (True, False, 2, True, False, "ip_window"),
            (True, True, 1, True, False, "research_partner"),
            (False, False, 0, False, False, "first_stop"),
            (False, False, 0, True, False, "phase"),
            (True, True, 1, True, True, "phase"),
        ],
    )
    def test_need_of(
        self, ip_active: bool, reached: bool, awards: int, supported: bool, research: bool, need: str
    ) -> None:
        assert need_of(ip_active, reached, awards, supported=supported, research_tie=research).key == need


class TestGroups:
    def test_cards_in_the_same_situation_are_one_card(self, service: AnalysisService) -> None:
        items = service.worklist("yamaguchi").items
        group = next(i for i in items if i.members)
        assert len(group.members) >= 2
        assert "ほか" in item_name(group, "ja") and "more" in item_name(group, "en")
        assert all(m["ja"] in members_text(group, "ja") for m in group.members)
        assert len({f"{i.priority:.2f}" for i in grouped([group])}) == 1

    def test_a_member_is_found_by_its_own_name(self, home: Path, service: AnalysisService) -> None:
        group = next(i for i in service.worklist("yamaguchi").items if i.members)
        member = group.members[0]["ja"]
        # a wide table, so the name is not wrapped whatever terminal (or none) runs the tests
        env = {"IPECO_HOME": str(home), "IPECO_STORE": "embedded", "COLUMNS": "240"}
        result = CliRunner().invoke(cli, ["gaps", "--region", "yamaguchi", "--org", member], env=env)
        assert result.exit_code == 0, result.output
        assert item_name(group, "ja").split(" ")[0] in result.output

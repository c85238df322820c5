"""Advice on the real layer (issue 20): Kobe's suggestions and the first 20 worklist cards, and names.

Read as a producer would: no suggested body is already tied to the firm or gone (merged, closed),
no partner is suggested only because both sit next to a hub, no startup programme goes to a large
firm, and the worklist's first cards name a specific body for the next step.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from analytics.eligibility import target_groups
from analytics.names import AmbiguousNameError, fold_name
from analytics.profiles import is_gone, tied_to
from analytics.service import AnalysisService
from graph.embedded import EmbeddedStore
from graph.errors import NotFoundError
from graph.words import empty_reason, reasons_text
from ipeco.cli import cli
from tests.conftest import real_seed_home

KOBE_FIRMS = ("伍魚福", "シスメックス", "神戸大学")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_seed_home(tmp_path_factory, "advice-real")


@pytest.fixture(scope="module")
def service(home: Path) -> AnalysisService:
    return AnalysisService(EmbeddedStore(home / "ipeco.sqlite"))


class TestNames:
    def test_exact_then_unique_prefix(self, service: AnalysisService) -> None:
        assert service.find_organisation("伍魚福") == "org:gogyofuku"
        assert service.find_organisation("株式会社伍魚福") == "org:gogyofuku"
        assert service.find_organisation("神戸大学") == "org:kobe-u"  # exact, though 神戸大学イノベーション exists
        assert service.find_organisation("sysmex") == "org:sysmex"
        assert service.find_organisation("org:sysmex") == "org:sysmex"

    def test_ambiguity_lists_candidates_with_ids(self, service: AnalysisService) -> None:
        with pytest.raises(AmbiguousNameError) as caught:
            service.find_organisation("神戸")
        assert "org:kobe-city" in str(caught.value) and len(caught.value.candidates) <= 8

    def test_unknown_name_points_to_no_command(self, service: AnalysisService) -> None:
        with pytest.raises(NotFoundError) as caught:
            service.find_organisation("存在しない会社")
        assert "ipeco" not in str(caught.value)

    def test_folding(self) -> None:
        assert fold_name("株式会社 伍魚福") == fold_name("伍魚福") == "伍魚福"
        assert fold_name("Sysmex Corporation") == "sysmex"

    @pytest.mark.parametrize("args", [["recommend", "伍魚福"], ["gaps", "--org", "合食", "--lang", "en"]])
    def test_cli_takes_a_name(self, home: Path, args: list[str]) -> None:
        env = {"IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output

    def test_cli_ambiguity_is_one_clear_error(self, home: Path) -> None:
        env = {"IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
        result = CliRunner().invoke(cli, ["recommend", "神戸"], env=env)
        assert result.exit_code == 1 and "org:kobe-city" in result.output and "Traceback" not in result.output


class TestKobeSuggestions:
    @pytest.mark.parametrize("name", KOBE_FIRMS)
    def test_no_tied_no_gone_no_hub_only_reason(self, service: AnalysisService, name: str) -> None:
        org = service.find_organisation(name, region="kobe")
        rec = service.recommendations(org, region="kobe")
        view = service.region_view("kobe")
        tied = tied_to(service.graph(), org)
        for s in (*rec.partners, *rec.support):
            assert s.id not in tied, (name, s.id)
            assert not is_gone(service.graph(), s.id), (name, s.id)
            assert s.details["reason_kinds"], (name, s.id)
        hubs = {"org:kobe-city", "org:hyogo-pref"} & set(view)
        for s in rec.partners:
            assert s.id not in hubs
            if list(s.details["reason_kinds"]) == ["near"]:  # a path alone: through no hub
                said = reasons_text(s.reasons, "ja")
                assert not any(h in said for h in ("神戸市 を介して", "兵庫県 を介して"))
        for lst in (rec.partners, rec.support, rec.programmes):
            assert len({s.id for s in lst}) == len(lst)
        for key, lst in (("partners", rec.partners), ("support", rec.support), ("programmes", rec.programmes)):
            assert lst or empty_reason(rec.empty[key].code, "ja", phases=rec.empty[key].phases), (name, key)

    @pytest.mark.parametrize("name", KOBE_FIRMS)
    def test_top_ten_lists_reason_in_three_kinds(self, service: AnalysisService, name: str) -> None:
        org = service.find_organisation(name, region="kobe")
        rec = service.recommendations(org, region="kobe")
        kinds = {
            k
            for lst in (rec.partners, rec.support, rec.programmes)
            for s in lst[:10]
            for k in s.details["reason_kinds"]
        }
        assert len(kinds) >= 3, (name, kinds)
        partner_kinds = {k for s in rec.partners[:10] for k in s.details["reason_kinds"]}
        # Sysmex records no keywords and no tie inside Kobe: its partners fit by industry and phase only.
        assert len(partner_kinds) >= (2 if org == "org:sysmex" else 3), (name, partner_kinds)

    def test_no_startup_programme_for_sysmex(self, service: AnalysisService) -> None:
        rec = service.recommendations("org:sysmex", region="kobe")
        assert rec.participant == "large"
        graph = service.graph()
        for prog in rec.programmes:
            groups, _ = target_groups(graph.nodes[prog.id])
            # open to large firms (an open-innovation programme may name startups too), or to anyone
            assert not groups or groups & {"large", "any"}, prog.id


class TestWorklists:
    @pytest.mark.parametrize("region", ["kobe", "aomori", "ishikawa"])
    def test_first_twenty_cards(self, service: AnalysisService, region: str) -> None:
        worklist = service.worklist(region)
        graph = service.graph()
        for item in worklist.items[:20]:
            assert item.section != "target" or item.size != "large"
            referral = item.facts.get("referral")
            if item.next_step in ("refer", "visit_refer"):
                body = next(n for n in graph if graph.nodes[n].get("name") == referral["ja"])
                assert not is_gone(graph, body), (region, item.key, body)
                assert body not in tied_to(graph, item.subjects[0]), (region, item.key, body)
                assert item.facts["why"]

    def test_kobe_priorities_differ(self, service: AnalysisService) -> None:
        counts = Counter(round(i.priority, 2) for i in service.worklist("kobe").items[:20])
        assert max(counts.values()) <= 3, counts

    def test_kobe_firms_with_ties_outside_are_not_called_tieless(self, service: AnalysisService) -> None:
        cards = {i.key: i for i in service.worklist("kobe").items}
        for org in ("org:juchheim", "org:goshoku", "org:heishin"):
            card = cards.get(org)
            if card is not None and "isolated" in card.kinds:
                assert card.reason in ("no_tie_inside", "no_support_tie"), org

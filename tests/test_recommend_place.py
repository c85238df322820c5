"""Suggestions respect place (issue 11), on the bundled seeds, for each model region."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from analytics.service import AnalysisService
from graph.embedded import EmbeddedStore
from graph.scope import organisation_regions, region_scope
from graph.words import place_text, reasons_text
from tests.cli_support import ipeco
from tests.conftest import seed_home

REGIONS = ("aomori", "ishikawa", "kobe")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory, "place")


@pytest.fixture(scope="module")
def service(home: Path) -> AnalysisService:
    return AnalysisService(EmbeddedStore(home / "ipeco.sqlite"))


@pytest.mark.parametrize("region", REGIONS)
def test_every_suggestion_stays_in_the_region(service: AnalysisService, region: str) -> None:
    graph = service.graph()
    members = region_scope(graph, region).organisations
    seated_real = sorted(n for n in region_scope(graph, region).seated if not graph.nodes[n].get("synthetic"))
    assert len(seated_real) > 10
    named_bodies = 0
    for org in seated_real:
        rec = service.recommendations(org)
        assert rec.region == region
        for partner in rec.partners:
            assert partner.id in members, (org, partner.id)
            assert partner.place is not None and place_text(partner.place, "ja") in reasons_text(partner.reasons, "ja")
        for body in rec.support:
            assert body.id in members, (org, body.id)
        for programme in rec.programmes:
            own = graph.nodes[programme.id].get("region")
            assert own in (None, region), (org, programme.id, own)
            if programme.delivered_by is not None:
                named_bodies += 1
                assert programme.delivered_by in members, (org, programme.id, programme.delivered_by)
                assert region in organisation_regions(graph, programme.delivered_by)
    assert named_bodies, "some programmes are delivered by a body of the region"


def test_the_issue_examples(service: AnalysisService) -> None:
    # The IP window is open to SMEs and startups (its recorded target groups): a Kobe SME is offered it.
    gogyofuku = service.recommendations("org:gogyofuku")
    window = [p for p in gogyofuku.programmes if p.id == "prog:ip_window"]
    assert window, "伍魚福 has the IP window suggested"
    assert "青森" not in json.dumps(gogyofuku.as_dict(), ensure_ascii=False)
    kobe_u = service.recommendations("org:kobe-u")
    assert all(p.delivered_by != "org:aomori-jiii" for p in kobe_u.programmes)
    assert "青森" not in json.dumps(kobe_u.as_dict(), ensure_ascii=False)
    hirosaki = service.recommendations("org:hirosaki-u")
    assert "prog:500_kobe_accelerator" not in {p.id for p in hirosaki.programmes}
    assert "神戸" not in json.dumps(hirosaki.as_dict(), ensure_ascii=False)


def test_a_local_operator_comes_before_a_serving_one(service: AnalysisService) -> None:
    """NIRO (seated in Kobe) delivers the IP window in Kobe, not INPIT (which serves Kobe from Tokyo)."""
    rec = service.recommendations("org:gogyofuku")
    window = next(p for p in rec.programmes if p.id == "prog:ip_window")
    assert window.delivered_by == "org:niro"
    assert window.place is not None and place_text(window.place, "en") == "Kobe City"


def test_cli_recommend_names_no_body_of_another_region(home: Path) -> None:
    env = {**os.environ, "IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
    done = ipeco("recommend", "org:kobe-u", "--json", env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    data = json.loads(out)
    assert data["region"] == "kobe"
    assert "青森県発明協会" not in out and "ISICO" not in out
    assert all(p.get("delivered_by") != "org:aomori-jiii" for p in data["programmes"])

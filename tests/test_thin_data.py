"""Measures that rest on too few ties say so beside the number (issue 12): compare page and reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.compare import THIN_DATA_TIES, thin_data
from analytics.service import AnalysisService
from graph.embedded import EmbeddedStore
from graph.words import t
from reports.files import build_region_report
from tests.conftest import seeded_store_file
from webapp.data import comparison_table
from webapp.pages.compare import indicator_table

FY2025 = ("aichi", "yamaguchi", "kumamoto")
FY2024 = ("aomori", "ishikawa", "kobe")


def test_the_threshold() -> None:
    assert thin_data(THIN_DATA_TIES - 1) and not thin_data(THIN_DATA_TIES) and not thin_data(None)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnalysisService:
    path = seeded_store_file(tmp_path_factory, "thin", demo=False)
    return AnalysisService(EmbeddedStore(path))


def test_the_real_layer_marks_the_fy2025_skeletons_and_not_the_fy2024_regions(service: AnalysisService) -> None:
    comparison = service.comparison([*FY2024, *FY2025], real_only=True)
    thin = comparison.thin_regions()
    assert set(thin) == set(FY2025)
    for region, ties in thin.items():
        assert ties == comparison.ties(region) < THIN_DATA_TIES
    assert comparison.as_dict()["thin_data"] == thin


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_compare_table_says_so_beside_the_region(service: AnalysisService, lang: str) -> None:
    comparison = service.comparison(["kobe", "kumamoto"], real_only=True)
    table = indicator_table(comparison_table(comparison), {}, lang)
    head = table.children[0].children.children  # Thead > Tr > [Th, ...]
    kobe, kumamoto = head[1], head[2]
    assert kobe.children == "kobe"
    ties = comparison.ties("kumamoto")
    notice = kumamoto.children[-1]
    assert notice.children == t("thin.short", lang, ties=ties)
    assert str(THIN_DATA_TIES) in notice.title


def test_a_thin_region_brief_carries_the_notice_and_a_full_one_does_not(
    service: AnalysisService, tmp_path: Path
) -> None:
    thin = build_region_report(service, "kumamoto", "en", "html", tmp_path / "kumamoto.html").read_text()
    full = build_region_report(service, "kobe", "en", "html", tmp_path / "kobe.html").read_text()
    assert "indicative only" in thin and "indicative only" not in full

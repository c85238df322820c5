"""Caching for speed (issue 15) must not change a number: cached and joined results equal fresh ones.

The analysis service caches each region's comparison on its own and joins them for any set of
regions; the reports cache their collected data; the PDF printer keeps one Chromium running. Each
test computes the result the uncached way (one ``compare_regions`` call over every region, a fresh
service, a second print) and asserts equality with what the cache hands out.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from analytics.compare import compare_regions
from analytics.service import AnalysisService, _comparison
from graph.embedded import EmbeddedStore
from reports.collect import collect_region
from reports.files import build_region_report, chromium_path
from tests.conftest import seeded_store_file


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_store_file(tmp_path_factory, "service-cache")


@pytest.mark.parametrize("real_only", [False, True])
def test_joined_comparison_equals_one_call_over_every_region(store_path: Path, real_only: bool) -> None:
    """``comparison(regions)``, joined from per-region parts, is ``compare_regions`` over all at once."""
    service = AnalysisService(EmbeddedStore(store_path))
    keys = service.model_regions()
    assert len(keys) >= 3
    service.analysis(keys[0], real_only=real_only)  # one part reuses an analysis, the others do not
    joined = service.comparison(keys, real_only=real_only)
    views = {key: service.region_view(key, real_only=real_only) for key in keys}
    whole = _comparison(compare_regions(views, seed=service.seed), joined.data_version, real_only)
    assert joined.as_dict() == whole.as_dict()
    # A region's own comparison (its report asks for it) is the same part, not a recomputation.
    one = service.comparison([keys[1]], real_only=real_only)
    alone = _comparison(compare_regions({keys[1]: views[keys[1]]}, seed=service.seed), "", real_only)
    assert one.as_dict() == alone.as_dict()
    assert one.indicator("m").values[keys[1]] == joined.indicator("m").values[keys[1]]


def test_cached_report_data_equals_a_fresh_service_s(store_path: Path) -> None:
    """A second collection is the cached object, equal to what a fresh service collects."""
    warm = AnalysisService(EmbeddedStore(store_path))
    first = collect_region(warm, "kobe")
    assert collect_region(warm, "kobe") is first
    assert collect_region(AnalysisService(EmbeddedStore(store_path)), "kobe") == first


def test_kept_browser_prints_the_same_report_again(store_path: Path, tmp_path: Path) -> None:
    """Two PDFs of one report from the kept Chromium: same pages and text, A4."""
    if chromium_path() is None or shutil.which("pdftotext") is None:
        pytest.fail("PDF checks need Debian chromium, fonts-noto-cjk and poppler-utils (`make system-deps`)")
    service = AnalysisService(EmbeddedStore(store_path))
    stamp = "2026-01-01 00:00 UTC"
    texts = []
    for name in ("a.pdf", "b.pdf"):
        out = build_region_report(service, "aomori", "ja", "pdf", tmp_path / name, generated_at=stamp)
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        assert "(A4)" in info
        texts.append(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    assert texts[0] == texts[1]
    assert "青森" in texts[0]

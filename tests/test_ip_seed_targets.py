"""The bundled seed's IP layer meets issue 19's targets, counted as every surface counts them.

Targets, over the organisations seated in each region (:func:`analytics.ip.ip_facts`, read through
the analysis service exactly as ``ipeco ip``, the map and the reports read it):

* FY2024 model regions (青森県, 石川県, 神戸市): ≥ 40 IP facts on ≥ 25 distinct local organisations,
  covering ≥ 3 kinds (right kinds, IP awards, IP support, licences);
* FY2025 model regions (愛知県, 山口県, 熊本市): ≥ 15 IP facts.

A region whose ``seeds/real/<region>/ip/`` folder is not there yet (its sourced facts land from the
research branches) is an expected failure, and strictly so: once the folder exists, the targets must
hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.service import AnalysisService
from graph.embedded import EmbeddedStore
from seeds import REAL_SEED_DIR, real_seed_batch

#: region → (facts, distinct local organisations, kinds), as issue 19 states them.
TARGETS: dict[str, tuple[int, int, int]] = {
    "aomori": (40, 25, 3),
    "ishikawa": (40, 25, 3),
    "kobe": (40, 25, 3),
    "aichi": (15, 0, 0),
    "yamaguchi": (15, 0, 0),
    "kumamoto": (15, 0, 0),
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnalysisService]:
    path: Path = tmp_path_factory.mktemp("ip-seed") / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(real_seed_batch())
        yield AnalysisService(store)


@pytest.mark.parametrize("region", TARGETS)
def test_each_region_meets_the_ip_targets(service: AnalysisService, region: str) -> None:
    if not (REAL_SEED_DIR / region / "ip").is_dir():
        pytest.xfail(f"seeds/real/{region}/ip/ is not there yet")
    facts, organisations, kinds = TARGETS[region]
    counts = service.ip(region).counts
    assert counts.facts >= facts, counts
    assert counts.organisations >= organisations, counts
    assert len(counts.kinds) >= kinds, counts
    assert all(f.evidence.startswith(("http://", "https://")) and f.date for f in service.ip(region).facts)

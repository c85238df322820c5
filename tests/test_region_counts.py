"""One number per label (issue 20, item 6): a region's organisations, ties and firms on every surface.

The analysis service computes them once (``region_counts``); the comparison (compare page, ``ipeco
compare``, the comparison report), ``ipeco stats --region``, the regional report and the README
table must print the very same numbers, and the README in the repository must be up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analytics.service import AnalysisService
from graph.embedded import EmbeddedStore
from ipeco.cli import cli
from reports.collect import collect_region
from reports.readme import END, START, region_table
from tests.conftest import real_seed_home

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_seed_home(tmp_path_factory, "counts")


@pytest.fixture(scope="module")
def service(home: Path) -> AnalysisService:
    return AnalysisService(EmbeddedStore(home / "ipeco.sqlite"))


@pytest.mark.parametrize("region", ["kobe", "aomori", "ishikawa"])
def test_every_surface_prints_the_same_counts(service: AnalysisService, home: Path, region: str) -> None:
    counts = service.region_counts(region)
    assert counts.organisations > counts.firms > 0 and counts.ties > 0
    # the comparison (compare page, `ipeco compare`, comparison report)
    comparison = service.comparison([region])
    assert comparison.indicator("n").values[region] == counts.organisations
    assert comparison.indicator("m").values[region] == counts.ties
    assert comparison.indicator("size_by_role").values[region]["Company"] == counts.firms
    # `ipeco stats --region` and `ipeco compare --json`
    env = {"IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
    stats = CliRunner().invoke(cli, ["stats", "--region", region, "--json"], env=env)
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.output)["region_counts"] == counts.as_dict()
    text = CliRunner().invoke(cli, ["stats", "--region", region], env=env).output
    assert text.startswith(
        f"organisations: {counts.organisations}   ties between organisations: {counts.ties}   firms: {counts.firms}"
    )
    # the regional report
    data = collect_region(service, region, figure=False)
    assert data.ties == counts.ties
    assert sum(1 for a in data.indicators if a.key == "n" and a.values[region] == counts.organisations) == 1
    # the README table, as `make docs` writes it
    cells = f"| {counts.organisations} | {counts.ties} | {counts.firms} |"
    assert any(line.endswith(cells) for line in region_table(service).splitlines())


def test_the_readme_table_is_current(service: AnalysisService) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert block == region_table(service), "run `make docs` to rewrite the README's table"


def test_the_report_counts_the_worklist_cards(service: AnalysisService) -> None:
    data = collect_region(service, "kobe", figure=False)
    assert sum(data.worklist.values()) == len(service.worklist("kobe").items)


def test_one_list_of_regions_model_regions_first() -> None:
    """graph.scope.listed_regions: the model regions by JIS code, then the other regions: each one a
    user loaded, and each bundled one that holds at least MIN_SEATED organisations (fewer: an
    address of outside bodies)."""
    import networkx as nx

    from graph.scope import MIN_SEATED, listed_regions

    graph = nx.MultiDiGraph()
    for key, jis, fy, seated, source in (
        ("b", "02", 2024, 1, "seed:real"),
        ("a", "17", 2025, 0, "seed:real"),
        ("big", "13", None, MIN_SEATED, "seed:real"),
        ("small", "01", None, MIN_SEATED - 1, "seed:real"),
        ("mine", "99", None, 1, "canonical"),
        ("empty", "98", None, 0, "canonical"),
    ):
        attrs = {"labels": ["Region"], "name": key, "jis_code": jis, "source": source}
        if fy:
            attrs["model_region_fy"] = fy
        graph.add_node(f"region:{key}", **attrs)
        for k in range(seated):
            graph.add_edge(f"org:{key}{k}", f"region:{key}", type="LOCATED_IN")
    assert listed_regions(graph) == ["b", "a", "big", "mine"]

"""Regional briefs and the comparison report (issue 6, Reports) on the bundled seed in an embedded store.

The PDFs are printed by the real Debian chromium and read back with poppler's ``pdftotext`` and
``pdfinfo``: what a producer would hand out is what is checked. Page 1 of the Kobe brief is also
rendered to ``docs/img/report-kobe-p1.png`` for the README.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

from graph.batch import Batch, NodeRecord, Origin, RelRecord
from graph.embedded import EmbeddedStore
from graph.schema import ROLE_LABELS
from seeds import seed_batch
from webapp.report import (
    ROLE_COLOURS,
    STRINGS,
    RegionData,
    collect_region,
    comparison_report,
    region_report,
)
from webapp.report_files import (
    ReportError,
    build_comparison_report,
    build_region_report,
    chromium_path,
    model_regions,
    report_data_version,
    write_report,
)

ROOT = Path(__file__).resolve().parent.parent
README_IMAGE = ROOT / "docs" / "img" / "report-kobe-p1.png"
PAGE_ONE = ROOT / "test-artifacts" / "report-kobe-p1.png"
#: Model regions of the bundled seed in JIS order: FY2024 (青森県, 石川県, 神戸市) and FY2025 (愛知県, 山口県, 熊本市).
MODEL_REGIONS = ["aomori", "ishikawa", "aichi", "kobe", "yamaguchi", "kumamoto"]
MODEL_REGION_NAMES_EN = [
    "Aomori Prefecture",
    "Ishikawa Prefecture",
    "Aichi Prefecture",
    "Kobe City",
    "Yamaguchi Prefecture",
    "Kumamoto City",
]
STAMP = "2026-04-01 09:00 UTC"
GBIZ_ATTRIBUTION = "出典：gBizINFO（経済産業省）"
#: A firm whose name is both markup and a spreadsheet formula: it must come out inert everywhere.
NASTY_NAME = '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>'
NASTY_SOURCE = "gbiz-patent<b>&"


def require_pdf_tools() -> None:
    """`make test` installs chromium, fonts-noto-cjk and poppler-utils; their absence is a failure, not a skip."""
    if chromium_path() is None or shutil.which("pdftotext") is None:
        pytest.fail("PDF checks need Debian chromium, fonts-noto-cjk and poppler-utils (`make system-deps`)")


def _squash(text: str) -> str:
    """Text without whitespace: a PDF breaks lines wherever the layout wraps them."""
    return re.sub(r"\s+", "", text)


def _load(store: EmbeddedStore, *batches: Batch) -> nx.MultiDiGraph:
    store.write_batch(seed_batch())
    for batch in batches:
        store.write_batch(batch)
    return store.read_graph_all()


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nx.MultiDiGraph]:
    """The bundled seed (real skeleton + synthetic layer) as the embedded store reads it back."""
    store = EmbeddedStore(tmp_path_factory.mktemp("seed") / "ipeco.sqlite")
    try:
        yield _load(store)
    finally:
        store.close()


def gbiz_batch() -> Batch:
    """One gBizINFO-sourced firm seated in Kobe, with no ties (so it is an isolated-actor gap)."""
    origin = Origin("gbiz-test.csv", 1)
    firm = NodeRecord(
        "org:gbiz-test-firm",
        ("Organization", "Company"),
        {"name": NASTY_NAME, "source": NASTY_SOURCE, "evidence": "https://info.gbiz.go.jp/hojin/ichiran"},
        origin,
    )
    seat = RelRecord("LOCATED_IN", "org:gbiz-test-firm", "region:kobe", {"source": NASTY_SOURCE}, origin)
    return Batch("gbiz-patent", [firm], [seat])


@pytest.fixture(scope="module")
def gbiz_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nx.MultiDiGraph]:
    store = EmbeddedStore(tmp_path_factory.mktemp("gbiz") / "ipeco.sqlite")
    try:
        yield _load(store, gbiz_batch())
    finally:
        store.close()


@pytest.fixture(scope="module")
def kobe(seed_graph: nx.MultiDiGraph) -> RegionData:
    return collect_region(seed_graph, "kobe")


@pytest.fixture(scope="module")
def kobe_html(seed_graph: nx.MultiDiGraph) -> dict[str, str]:
    """The Kobe brief in both languages, rendered once for the module (analytics takes seconds)."""
    version = report_data_version(seed_graph)
    return {
        lang: region_report(seed_graph, "kobe", lang=lang, generated_at=STAMP, data_version=version)
        for lang in ("ja", "en")
    }


# --- HTML ----------------------------------------------------------------------------------------
class TestRegionHtml:
    @pytest.mark.parametrize("lang", ["ja", "en"])
    def test_states_region_indicators_gaps_and_sources(
        self, seed_graph: nx.MultiDiGraph, kobe_html: dict[str, str], kobe: RegionData, lang: str
    ) -> None:
        version = report_data_version(seed_graph)
        doc = kobe_html[lang]
        assert doc.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in doc
        assert "神戸市" in doc and "Kobe City" in doc  # title carries both names
        assert STAMP in doc and version in doc
        assert kobe.indicators, "the comparison table gave no indicators"
        for row in kobe.indicators:
            assert html.escape(row["label"][lang]) in doc
        assert kobe.gaps, "the seed should show gaps in Kobe"
        assert html.escape(kobe.gaps[0]["explanation"][lang]) in doc
        for source in ("seed:real", "seed:synthetic"):
            assert source in doc
        assert html.escape(kobe.evidence[0][0]) in doc
        assert html.escape(STRINGS["sec.sources"][lang]) in doc
        assert kobe.hubs and html.escape(kobe.hubs[0]["name"][lang]) in doc
        assert kobe.suggestions, "firms with uncovered phases should get suggestions"
        assert html.escape(kobe.suggestions[0]["name"][lang]) in doc

    @pytest.mark.parametrize("lang", ["ja", "en"])
    def test_one_language_print_ready_self_contained(self, kobe_html: dict[str, str], lang: str) -> None:
        doc = kobe_html[lang]
        other = "en" if lang == "ja" else "ja"
        for key in ("sec.indicators", "sec.gaps", "sec.suggestions", "sec.hubs"):
            assert html.escape(STRINGS[key][lang]) in doc
            assert html.escape(STRINGS[key][other]) not in doc
        assert "@page" in doc and "size: A4" in doc and "Noto Sans CJK JP" in doc
        assert "<svg" in doc and 'stroke-dasharray="1.6 1.2"' in doc  # figure inline, synthetic dashed
        assert not re.search(r'(?:src|href)="(?!https?://)', doc) and "<link" not in doc  # nothing to fetch

    @pytest.mark.parametrize("lang", ["ja", "en"])
    def test_synthetic_banner(self, kobe_html: dict[str, str], lang: str) -> None:
        doc = kobe_html[lang]
        banner = {"ja": "合成デモデータを含みます", "en": "Includes synthetic demo data"}[lang]
        assert f"<strong>{banner}</strong>" in doc

    def test_no_banner_without_synthetic_data(self, tmp_path: Path) -> None:
        store = EmbeddedStore(tmp_path / "real.sqlite")
        try:
            store.write_batch(seed_batch(synthetic=False))
            graph = store.read_graph_all()
        finally:
            store.close()
        doc = region_report(graph, "kobe", lang="ja", generated_at=STAMP, data_version="v")
        assert "合成デモデータを含みます" not in doc

    def test_gbiz_attribution_only_with_gbiz_data(self, kobe_html: dict[str, str], gbiz_graph: nx.MultiDiGraph) -> None:
        for lang in ("ja", "en"):
            assert GBIZ_ATTRIBUTION not in kobe_html[lang]
            with_gbiz = region_report(gbiz_graph, "kobe", lang=lang, generated_at=STAMP, data_version="v")
            assert GBIZ_ATTRIBUTION in with_gbiz
        # Attribution follows the region's data: Aomori has no gBizINFO record in this store.
        aomori = region_report(gbiz_graph, "aomori", lang="ja", generated_at=STAMP, data_version="v")
        assert GBIZ_ATTRIBUTION not in aomori

    def test_every_value_escaped(self, gbiz_graph: nx.MultiDiGraph) -> None:
        doc = region_report(gbiz_graph, "kobe", lang="en", generated_at="<i>now</i>", data_version='"v"')
        assert "<script>" not in doc and "<b>&" not in doc and "<i>now" not in doc
        assert html.escape(NASTY_SOURCE) in doc  # the sources table lists every dataset
        assert "&lt;i&gt;now&lt;/i&gt;" in doc


def test_legend_uses_the_map_colours() -> None:
    """The brief's figure and the web map colour roles alike, so a reader moves between them freely."""
    from webapp.elements import KIND_COLOURS

    assert {role: KIND_COLOURS[role] for role in ROLE_LABELS} == ROLE_COLOURS


# --- comparison ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_comparison_has_every_model_region(seed_graph: nx.MultiDiGraph, lang: str) -> None:
    """The FY2024 model regions and the three added in FY2025, in JIS order, all from the data."""
    regions = model_regions(seed_graph)
    assert regions == MODEL_REGIONS
    doc = comparison_report(dict.fromkeys(regions, seed_graph), lang=lang, generated_at=STAMP, data_version="v")
    names = {"ja": ["青森県", "石川県", "愛知県", "神戸市", "山口県", "熊本市"], "en": MODEL_REGION_NAMES_EN}
    for name in names[lang]:
        assert name in doc
    assert doc.count("<svg") == len(MODEL_REGIONS)
    assert html.escape(STRINGS["banner.synthetic"][lang]) in doc
    assert html.escape(STRINGS["title.compare"][lang]) in doc


def test_comparison_xlsx(seed_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = build_comparison_report(seed_graph, "en", "xlsx", tmp_path / "compare.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["summary", "hubs_brokers", "gaps", "sources"]
    summary = [tuple(row) for row in book["summary"].iter_rows(values_only=True)]
    header = next(row for row in summary if row[0] == "Indicator")
    assert list(header[1 : 1 + len(MODEL_REGIONS)]) == MODEL_REGION_NAMES_EN
    regions = {row[0] for row in book["gaps"].iter_rows(min_row=2, values_only=True)}
    assert regions == set(MODEL_REGIONS)


# --- files ---------------------------------------------------------------------------------------
def test_region_xlsx_sheets_and_neutralised_cells(gbiz_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    data = collect_region(gbiz_graph, "kobe")
    out = build_region_report(gbiz_graph, "kobe", "ja", "xlsx", tmp_path / "kobe.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["summary", "hubs_brokers", "gaps", "suggestions", "sources"]
    summary = [row[0] for row in book["summary"].iter_rows(values_only=True)]
    assert "合成デモデータを含みます" in summary and GBIZ_ATTRIBUTION in summary
    assert book["gaps"].max_row == len(data.gaps) + 1  # every gap, not only the printed ones
    sources = [row[0] for row in book["sources"].iter_rows(values_only=True)]
    assert "seed:real" in sources and NASTY_SOURCE in sources
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)
    assert any(text.startswith("'" + NASTY_NAME) for text in texts)  # the isolated firm's gap explanation


def test_write_report_neutralises_formula_text(tmp_path: Path) -> None:
    sheets = {"s": [["a", "b"], ["=1+1", "+SUM(A1)"], ["-2+3", "@cmd"], [-5, "plain"]]}
    out = write_report("", "xlsx", tmp_path / "n.xlsx", xlsx_sheets=sheets)
    rows = list(load_workbook(out)["s"].iter_rows(values_only=True))
    assert rows[1] == ("'=1+1", "'+SUM(A1)") and rows[2] == ("'-2+3", "'@cmd")
    assert rows[3] == (-5, "plain")  # numbers stay numbers


def test_html_file_and_errors(seed_graph: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = build_region_report(seed_graph, "region:kobe", "en", "html", tmp_path / "sub" / "kobe.html")
    assert "Kobe City" in out.read_text(encoding="utf-8")
    with pytest.raises(ReportError, match=r"unknown region 'atlantis'; known regions: aichi, aomori"):
        build_region_report(seed_graph, "atlantis", "ja", "html", tmp_path / "x.html")
    with pytest.raises(ReportError, match="unknown report format 'docx'"):
        build_region_report(seed_graph, "kobe", "ja", "docx", tmp_path / "x.docx")
    with pytest.raises(ReportError, match="unknown report language 'fr'"):
        build_comparison_report(seed_graph, "fr", "html", tmp_path / "x.html")
    monkeypatch.setenv("IPECO_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ReportError, match="Chromium was not found"):
        write_report("<html></html>", "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# --- PDF -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kobe_pdfs(seed_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_pdf_tools()
    folder = tmp_path_factory.mktemp("pdf")
    return {
        lang: build_region_report(seed_graph, "kobe", lang, "pdf", folder / f"kobe-{lang}.pdf") for lang in ("ja", "en")
    }


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_kobe_pdf_text_in_chosen_language(kobe_pdfs: dict[str, Path], kobe: RegionData, lang: str) -> None:
    text = subprocess.run(["pdftotext", str(kobe_pdfs[lang]), "-"], capture_output=True, text=True, check=True).stdout
    flat = _squash(text)
    assert _squash({"ja": "神戸市", "en": "Kobe City"}[lang]) in flat
    for row in kobe.indicators:
        assert _squash(row["label"][lang]) in flat, row["label"][lang]
    assert _squash(kobe.gaps[0]["explanation"][lang]) in flat
    assert _squash(STRINGS["sec.sources"][lang]) in flat and "seed:real" in flat and "seed:synthetic" in flat
    assert _squash(STRINGS["banner.synthetic"][lang]) in flat
    other = "en" if lang == "ja" else "ja"
    for key in ("sec.indicators", "sec.gaps", "sec.sources"):
        assert _squash(STRINGS[key][other]) not in flat


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_kobe_pdf_is_a4(kobe_pdfs: dict[str, Path], lang: str) -> None:
    info = subprocess.run(["pdfinfo", str(kobe_pdfs[lang])], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    assert "(A4)" in size
    assert int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]) >= 2


def test_kobe_page_one_picture_for_readme(kobe_pdfs: dict[str, Path]) -> None:
    """Page 1 as a picture in test-artifacts/; `make docs` (IPECO_WRITE_DOC_IMAGES=1) copies it to the README's."""
    PAGE_ONE.parent.mkdir(parents=True, exist_ok=True)
    prefix = PAGE_ONE.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(kobe_pdfs["ja"]), str(prefix)],
        check=True,
    )
    assert PAGE_ONE.stat().st_size > 10_000
    assert PAGE_ONE.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("IPECO_WRITE_DOC_IMAGES") == "1":
        shutil.copyfile(PAGE_ONE, README_IMAGE)

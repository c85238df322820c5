"""Regional briefs and the comparison report (``reports/``) on the bundled seed in an embedded store.

The PDFs are printed by the real Debian chromium and read back with poppler's ``pdftotext`` and
``pdfinfo``: what a producer would hand out is what is checked, including that no internal name
(a schema key, a design-document reference, a Python value) reaches it. Page 1 of the Kobe brief
is also rendered to ``docs/img/report-kobe-p1.png`` for the README.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from markupsafe import escape
from openpyxl import load_workbook

from analytics.service import AnalysisService
from graph.batch import Batch, NodeRecord, Origin, RelRecord
from graph.embedded import EmbeddedStore
from graph.schema import ROLE_LABELS
from graph.words import STRINGS
from graph.words.gaps import explain
from reports.collect import collect_region
from reports.files import (
    ReportError,
    build_comparison_report,
    build_region_report,
    chromium_path,
    format_for_path,
    model_regions,
    write_report,
)
from reports.model import RegionData
from reports.palette import ROLE_COLOURS
from reports.render import comparison_report, region_report, render_region
from seeds import seed_batch
from tests.cli_support import ipeco

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


def html_text(value: str) -> str:
    """``value`` as the templates' autoescape writes it into the document."""
    return str(escape(value))


def require_pdf_tools() -> None:
    """`make test` installs chromium, fonts-noto-cjk and poppler-utils; their absence is a failure, not a skip."""
    if chromium_path() is None or shutil.which("pdftotext") is None:
        pytest.fail("PDF checks need Debian chromium, fonts-noto-cjk and poppler-utils (`make system-deps`)")


def _squash(text: str) -> str:
    """Text without whitespace: a PDF breaks lines wherever the layout wraps them."""
    return re.sub(r"\s+", "", text)


@contextmanager
def service_over(path: Path, *batches: Batch, synthetic: bool = True) -> Iterator[AnalysisService]:
    """The analysis service over an embedded store holding the bundled seed (and ``batches``)."""
    store = EmbeddedStore(path)
    try:
        store.write_batch(seed_batch(synthetic=synthetic))
        for batch in batches:
            store.write_batch(batch)
        yield AnalysisService(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def seed_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnalysisService]:
    """The bundled seed (real skeleton + synthetic layer) behind the one analysis service."""
    with service_over(tmp_path_factory.mktemp("seed") / "ipeco.sqlite") as service:
        yield service


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
def gbiz_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnalysisService]:
    with service_over(tmp_path_factory.mktemp("gbiz") / "ipeco.sqlite", gbiz_batch()) as service:
        yield service


@pytest.fixture(scope="module")
def kobe(seed_service: AnalysisService) -> RegionData:
    return collect_region(seed_service, "kobe")


@pytest.fixture(scope="module")
def kobe_html(seed_service: AnalysisService, kobe: RegionData) -> dict[str, str]:
    """The Kobe brief in both languages, rendered once for the module (analytics takes seconds)."""
    version = seed_service.data_version
    return {lang: render_region(kobe, lang=lang, generated_at=STAMP, data_version=version) for lang in ("ja", "en")}


# --- HTML ----------------------------------------------------------------------------------------
class TestRegionHtml:
    @pytest.mark.parametrize("lang", ["ja", "en"])
    def test_states_region_indicators_gaps_and_sources(
        self, seed_service: AnalysisService, kobe_html: dict[str, str], kobe: RegionData, lang: str
    ) -> None:
        version = seed_service.data_version
        doc = kobe_html[lang]
        assert doc.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in doc
        assert "神戸市" in doc and "Kobe City" in doc  # title carries both names
        assert STAMP in doc and version in doc
        assert kobe.indicators, "the comparison table gave no indicators"
        for row in kobe.indicators:
            assert html_text(row.label[lang]) in doc
        assert kobe.gaps, "the seed should show gaps in Kobe"
        assert html_text(explain(kobe.gaps[0].explanation, lang)) in doc
        for source in ("seed:real", "seed:synthetic"):
            assert source in doc
        assert html_text(kobe.evidence[0][0]) in doc
        assert html_text(STRINGS["doc.sec.sources"][lang]) in doc
        assert kobe.hubs and html_text(kobe.hubs[0].name[lang]) in doc
        assert kobe.suggestions, "firms with uncovered phases should get suggestions"
        assert html_text(kobe.suggestions[0].name[lang]) in doc

    @pytest.mark.parametrize("lang", ["ja", "en"])
    def test_one_language_print_ready_self_contained(self, kobe_html: dict[str, str], lang: str) -> None:
        doc = kobe_html[lang]
        other = "en" if lang == "ja" else "ja"
        for key in ("doc.sec.indicators", "doc.sec.gaps", "doc.sec.suggestions", "doc.sec.hubs"):
            assert html_text(STRINGS[key][lang]) in doc
            assert html_text(STRINGS[key][other]) not in doc
        assert "@page" in doc and "size: A4" in doc and "Noto Sans CJK JP" in doc
        assert "<svg" in doc and 'stroke-dasharray="1.6 1.2"' in doc  # figure inline, synthetic dashed
        assert not re.search(r'(?:src|href)="(?!https?://)', doc) and "<link" not in doc  # nothing to fetch

    @pytest.mark.parametrize("lang", ["ja", "en"])
    def test_synthetic_banner(self, kobe_html: dict[str, str], lang: str) -> None:
        doc = kobe_html[lang]
        banner = {"ja": "合成デモデータを含みます", "en": "Includes synthetic demo data"}[lang]
        assert f"<strong>{banner}</strong>" in doc

    def test_no_banner_without_synthetic_data(self, tmp_path: Path) -> None:
        with service_over(tmp_path / "real.sqlite", synthetic=False) as service:
            doc = region_report(service, "kobe", lang="ja", generated_at=STAMP, data_version="v")
        assert "合成デモデータを含みます" not in doc

    def test_gbiz_attribution_only_with_gbiz_data(
        self, kobe_html: dict[str, str], gbiz_service: AnalysisService
    ) -> None:
        for lang in ("ja", "en"):
            assert GBIZ_ATTRIBUTION not in kobe_html[lang]
            with_gbiz = region_report(gbiz_service, "kobe", lang=lang, generated_at=STAMP, data_version="v")
            assert GBIZ_ATTRIBUTION in with_gbiz
        # Attribution follows the region's data: Aomori has no gBizINFO record in this store.
        aomori = region_report(gbiz_service, "aomori", lang="ja", generated_at=STAMP, data_version="v")
        assert GBIZ_ATTRIBUTION not in aomori

    def test_every_value_escaped(self, gbiz_service: AnalysisService) -> None:
        doc = region_report(gbiz_service, "kobe", lang="en", generated_at="<i>now</i>", data_version='"v"')
        assert "<script>" not in doc and "<b>&" not in doc and "<i>now" not in doc
        assert html_text(NASTY_SOURCE) in doc  # the sources table lists every dataset
        assert "&lt;i&gt;now&lt;/i&gt;" in doc


def test_legend_uses_the_map_colours() -> None:
    """The brief's figure and the web map colour roles alike, so a reader moves between them freely."""
    from webapp.elements import KIND_COLOURS

    assert {role: KIND_COLOURS[role] for role in ROLE_LABELS} == ROLE_COLOURS
    assert set(ROLE_COLOURS) == set(ROLE_LABELS)


# --- comparison ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_comparison_has_every_model_region(seed_service: AnalysisService, lang: str) -> None:
    regions = model_regions(seed_service.graph())
    assert regions == MODEL_REGIONS  # the FY2024 regions and the three added in FY2025, in JIS order
    doc = comparison_report(seed_service, regions, lang=lang, generated_at=STAMP, data_version="v")
    names = {"ja": ["青森県", "石川県", "愛知県", "神戸市", "山口県", "熊本市"], "en": MODEL_REGION_NAMES_EN}
    for name in names[lang]:
        assert name in doc
    assert doc.count("<svg") == len(MODEL_REGIONS)
    assert html_text(STRINGS["doc.synthetic"][lang]) in doc
    assert html_text(STRINGS["doc.title.compare"][lang]) in doc
    assert internal_names(visible_text(doc)) == []


def test_comparison_xlsx(seed_service: AnalysisService, tmp_path: Path) -> None:
    out = build_comparison_report(seed_service, "en", "xlsx", tmp_path / "compare.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["summary", "hubs_brokers", "gaps", "sources"]
    summary = [tuple(row) for row in book["summary"].iter_rows(values_only=True)]
    header = next(row for row in summary if row[0] == "Indicator")
    assert list(header[1 : 1 + len(MODEL_REGIONS)]) == MODEL_REGION_NAMES_EN
    regions = {row[0] for row in book["gaps"].iter_rows(min_row=2, values_only=True)}
    assert regions == set(MODEL_REGION_NAMES_EN)


# --- files ---------------------------------------------------------------------------------------
def test_region_xlsx_sheets_and_neutralised_cells(gbiz_service: AnalysisService, tmp_path: Path) -> None:
    data = collect_region(gbiz_service, "kobe", figure=False)
    out = build_region_report(gbiz_service, "kobe", "ja", "xlsx", tmp_path / "kobe.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["summary", "hubs_brokers", "gaps", "suggestions", "ip", "sources"]
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


def test_html_file_and_errors(seed_service: AnalysisService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = build_region_report(seed_service, "region:kobe", "en", "html", tmp_path / "sub" / "kobe.html")
    assert "Kobe City" in out.read_text(encoding="utf-8")
    with pytest.raises(ReportError, match=r"unknown region 'atlantis'; known regions: aichi, aomori"):
        build_region_report(seed_service, "atlantis", "ja", "html", tmp_path / "x.html")
    with pytest.raises(ReportError, match="unknown report format 'docx'"):
        build_region_report(seed_service, "kobe", "ja", "docx", tmp_path / "x.docx")
    with pytest.raises(ReportError, match="unknown report language 'fr'"):
        build_comparison_report(seed_service, "fr", "html", tmp_path / "x.html")
    monkeypatch.setenv("IPECO_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ReportError, match="Chromium was not found"):
        write_report("<html></html>", "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# --- PDF -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kobe_pdfs(seed_service: AnalysisService, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_pdf_tools()
    folder = tmp_path_factory.mktemp("pdf")
    return {
        lang: build_region_report(seed_service, "kobe", lang, "pdf", folder / f"kobe-{lang}.pdf")
        for lang in ("ja", "en")
    }


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_kobe_pdf_text_in_chosen_language(kobe_pdfs: dict[str, Path], kobe: RegionData, lang: str) -> None:
    text = subprocess.run(["pdftotext", str(kobe_pdfs[lang]), "-"], capture_output=True, text=True, check=True).stdout
    flat = _squash(text)
    assert _squash({"ja": "神戸市", "en": "Kobe City"}[lang]) in flat
    for row in kobe.indicators:
        assert _squash(row.label[lang]) in flat, row.label[lang]
    assert _squash(explain(kobe.gaps[0].explanation, lang)) in flat
    assert _squash(STRINGS["doc.sec.sources"][lang]) in flat and "seed:real" in flat and "seed:synthetic" in flat
    assert _squash(STRINGS["doc.synthetic"][lang]) in flat
    other = "en" if lang == "ja" else "ja"
    for key in ("doc.sec.indicators", "doc.sec.gaps", "doc.sec.sources"):
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


# --- what a reader sees ----------------------------------------------------------------------------
#: Internal names that must never reach a reader: design-document references, schema keys in
#: snake_case (``support_kind``, ``tied_share``), relationship types (``REFERS_TO``), camel-case
#: schema labels, unfilled placeholders and Python values.
INTERNAL = [
    re.compile(r"DESIGN|§"),
    re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    re.compile(r"\b[A-Z]+_[A-Z_]+\b"),
    re.compile(r"\b(?:SupportOrganization|GovernmentBody|ResearchInstitute|FinancialInstitution|ProfessionalBody)\b"),
    re.compile(r"\b(?:None(?! of\b)|nan|True|False)\b|[{}]|\['|\{'"),  # "None of the bodies" is English
]


def internal_names(text: str) -> list[str]:
    """Every internal name in ``text``, web addresses left out (they are shown as evidence, verbatim)."""
    text = re.sub(r"https?://\S+", " ", text)
    return [m.group(0) for pattern in INTERNAL for m in pattern.finditer(text)]


def visible_text(doc: str) -> str:
    """What a browser shows of an HTML document: text outside ``<style>``, entities decoded."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.skip += tag == "style"

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag == "style"

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(doc)
    return " ".join(parser.parts)


def test_the_scan_finds_what_it_looks_for() -> None:
    found = internal_names("rate (DESIGN §4.1) support_kind yorozu, REFERS_TO, GovernmentBody, None {n}")
    assert found == ["DESIGN", "§", "support_kind", "REFERS_TO", "GovernmentBody", "None", "{", "}"]
    assert internal_names("https://example.org/a_b_c PageRank T(UIG) 神戸市 None of them") == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_html_shows_no_internal_names(kobe_html: dict[str, str], lang: str) -> None:
    assert internal_names(visible_text(kobe_html[lang])) == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_pdf_shows_no_internal_names(kobe_pdfs: dict[str, Path], lang: str) -> None:
    text = subprocess.run(["pdftotext", str(kobe_pdfs[lang]), "-"], capture_output=True, text=True, check=True).stdout
    # A long address wraps across lines in print: join the wrapped rest back before the scan.
    assert internal_names(re.sub(r"(https?://\S+)\n(\S+)", r"\1\2", text)) == []


def test_spreadsheet_shows_no_internal_names(seed_service: AnalysisService, tmp_path: Path) -> None:
    book = load_workbook(build_region_report(seed_service, "kobe", "en", "xlsx", tmp_path / "kobe.xlsx"))
    texts = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert texts and internal_names(" \n ".join(texts)) == []
    assert book.sheetnames == ["summary", "hubs_brokers", "gaps", "suggestions", "ip", "sources"]


# --- the command line ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An ``ipeco`` environment whose embedded store holds the bundled seed."""
    env = {**os.environ, "IPECO_HOME": str(tmp_path_factory.mktemp("home")), "IPECO_STORE": "embedded"}
    seeded = ipeco("seed", env=env)
    assert seeded.returncode == 0, seeded.stderr
    return env


def test_cli_report_imports_nothing_from_the_web_app(seeded_home: dict[str, str], tmp_path: Path) -> None:
    """``ipeco report`` runs without the web app: no ``webapp`` module is loaded on its way.

    The format comes from the file's extension (no ``--format``), and the spreadsheet is complete.
    A process of its own (the report family's end-to-end test): this one has imported the web app.
    """
    out = tmp_path / "kobe.xlsx"
    code = (
        "import json, sys\n"
        "from ipeco.cli import cli\n"
        f"cli.main(args=['report', '--region', 'kobe', '-o', {str(out)!r}], standalone_mode=False)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'webapp' or m.startswith('webapp.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=seeded_home, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert out.read_bytes()[:2] == b"PK"  # a zip: the xlsx the extension asked for
    assert load_workbook(out).sheetnames == ["summary", "hubs_brokers", "gaps", "suggestions", "ip", "sources"]


def test_cli_report_numbers_are_ipeco_analyzes(seeded_home: dict[str, str], tmp_path: Path) -> None:
    """The hubs and brokers a user reads in ``ipeco report`` carry the numbers ``ipeco analyze --json`` prints."""
    out = tmp_path / "kobe.xlsx"
    report = ipeco("report", "--region", "kobe", "--lang", "en", "-o", str(out), env=seeded_home)
    assert report.returncode == 0, report.stderr
    analyze = ipeco("analyze", "--region", "kobe", "--json", env=seeded_home)
    assert analyze.returncode == 0, analyze.stderr
    nodes = json.loads(analyze.stdout)["nodes"]
    store = EmbeddedStore(Path(seeded_home["IPECO_HOME"]) / "ipeco.sqlite")
    try:
        graph = store.read_graph_all()
    finally:
        store.close()
    by_name = {graph.nodes[n].get("name_en") or graph.nodes[n].get("name"): n for n in nodes}
    rows = list(load_workbook(out)["hubs_brokers"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[2:7] == ("Name", "Role", "Partners", "Betweenness", "PageRank") and len(body) >= 10
    for row in body:
        node = nodes[by_name[row[2]]]
        # A spreadsheet holds 15 significant digits: the same number, to the last digit it can show.
        expected = (node["degree"], node["betweenness"], node["pagerank"])
        assert (row[4], row[5], row[6]) == pytest.approx(expected, rel=1e-14, abs=0), row[2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "kobe.xlsx", "--format", "pdf"], "ends in .xlsx but --format is pdf"),
        (["-o", "kobe.docx"], "cannot tell the report format from 'kobe.docx'"),
    ],
)
def test_cli_report_refuses_a_format_the_file_name_contradicts(
    seeded_home: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    done = ipeco("report", "--region", "kobe", *args, env=seeded_home, cwd=tmp_path)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_format_for_path() -> None:
    assert format_for_path(Path("a/kobe.XLSX")) == "xlsx"
    assert format_for_path(Path("kobe.htm")) == "html"
    assert format_for_path(Path("kobe.pdf"), "pdf") == "pdf"
    assert format_for_path(Path("kobe"), "pdf") == "pdf"  # no extension: the flag decides
    with pytest.raises(ReportError, match=r"ends in \.html but --format is xlsx"):
        format_for_path(Path("kobe.html"), "xlsx")


# --- one string table ------------------------------------------------------------------------------
def test_one_table_for_the_web_app_and_the_reports() -> None:
    """The web app reads the reports' table: there is no second one, and no second ``t``."""
    import graph.words as i18n
    from webapp.pages import gaps

    assert not (ROOT / "webapp" / "i18n.py").exists()
    assert gaps.t is i18n.t
    assert i18n.t("doc.sec.gaps", "fr") == i18n.t("doc.sec.gaps", "ja")  # unknown language: Japanese
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "en")  # an unknown key is a bug, never shown as text


def test_every_kind_a_report_names_has_words() -> None:
    from analytics.gaps import GAP_KINDS
    from graph.schema import PHASES, PRIMARY_LABELS
    from graph.words import gap_kind_name, label_for_kind, phase_name

    for kind in GAP_KINDS:
        assert gap_kind_name(kind, "en")
    for label in (*ROLE_LABELS, *PRIMARY_LABELS):
        assert label_for_kind(label, "ja") and label_for_kind(label, "en")
    for phase in PHASES:
        assert phase_name(phase, "en") != phase


def test_the_report_states_the_services_numbers(seed_service: AnalysisService, kobe: RegionData) -> None:
    """Hubs, gaps and indicators are the analysis service's: what the map and ``ipeco analyze`` show."""
    analysis = seed_service.analysis("kobe")
    for hub in kobe.hubs:
        assert hub.degree == analysis.nodes[hub.id].degree
        assert hub.betweenness == analysis.nodes[hub.id].betweenness
    assert [g.rank for g in kobe.gaps] == sorted(g.rank for g in seed_service.gaps("kobe").gaps)
    n = next(i for i in kobe.indicators if i.key == "n")
    assert n.values["kobe"] == seed_service.comparison(["kobe"]).indicator("n").values["kobe"]

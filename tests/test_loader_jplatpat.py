"""The J-PlatPat list loader on hand-written exports (data-formats.md §3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.store import LoadSummary, Store
from loaders.base import LoadContext, LoaderError, LoadOptions, LoadResult
from loaders.houjin import read_houjin
from loaders.jplatpat import normalise_name, read_jplatpat, split_fi
from tests.conftest import FIXTURES

JPP = FIXTURES / "jplatpat"
LIST_1 = JPP / "list_1_all_columns.csv"
LIST_2 = JPP / "list_2_selected_columns.csv"
#: The bulk-file fixtures (the change file with deletions and the role cases have their own tests).
HOUJIN = sorted(p for p in (FIXTURES / "houjin").glob("*.csv") if not p.name.startswith(("diff_", "28_17_")))


def houjin_context(extra: dict[str, dict[str, Any]] | None = None) -> LoadContext:
    """The 法人番号 fixtures' organisations with their regions, as ``LoadContext.from_graph`` gives them."""
    batch = read_houjin(HOUJIN, LoadOptions(), LoadContext()).batch
    orgs = {n.id: {**n.props, "labels": list(n.labels)} for n in batch.nodes if n.id.startswith("org:")}
    for rel in batch.relationships:
        if rel.type == "LOCATED_IN":
            orgs[rel.source]["region"] = rel.target.removeprefix("region:")
    return LoadContext({**orgs, **(extra or {})})


def read(paths: list[Path], context: LoadContext | None = None, **options: Any) -> LoadResult:
    return read_jplatpat(paths, LoadOptions(**options), context or houjin_context())


def rels(result: LoadResult, rel_type: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.source, r.target): r.props for r in result.batch.relationships if r.type == rel_type}


class TestParsing:
    def test_fi_split_keeps_codes_with_commas(self) -> None:
        assert split_fi("H02J3/00,170,H02J7/00") == ["H02J3/00,170", "H02J7/00"]
        assert split_fi("C22C38/00,301,C21D8/02,A,C21D9/46,J") == ["C22C38/00,301", "C21D8/02,A", "C21D9/46,J"]
        assert split_fi(" ") == []

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("株式会社　小松精機工作所", "小松精機工作所"),
            ("（株）神戸バイオ", "株式会社神戸バイオ"),
            ("(株)ＫＯＢＥ ＢＩＯ", "kobe bio株式会社"),
            ("国立大学法人神戸大学", "神戸大学"),
            ("学校法人八戸工業大学", "八戸工業大学"),
            ("有限会社八戸水産加工", "株式会社八戸水産加工"),
            ("深▲セン▼市創新科技有限公司", "深セン市創新科技有限公司"),
        ],
    )
    def test_names_normalise_alike(self, a: str, b: str) -> None:
        assert normalise_name(a) == normalise_name(b)

    def test_files_merge_and_deduplicate_on_document_number(self) -> None:
        result = read([LIST_1, LIST_2])
        assert result.report["documents"] == 6 and result.report["duplicates"] == 1
        # the duplicate is identical: no warning about it
        assert not [w for w in result.warnings if "differs" in w]

    def test_a_file_with_deselected_columns_reads_by_header(self) -> None:
        result = read([LIST_2])
        assert rels(result, "ACTIVE_IN")[("org:6322005001357", "tech:G05B")]["patents"] == 1
        assert result.report["documents"] == 3

    def test_conflicting_copies_keep_the_first_and_warn(self, tmp_path: Path) -> None:
        text = LIST_2.read_text(encoding="utf-8").replace('"A23L17/40,A23B4/06"', '"A23L17/40"', 1)
        changed = tmp_path / "list_3.csv"
        changed.write_text(text, encoding="utf-8")
        result = read([LIST_1, changed])
        assert any("特開2023-012345 differs" in w and "list_3.csv line 2" in w for w in result.warnings)
        assert ("org:6442001006802", "tech:A23B") in rels(result, "ACTIVE_IN")


class TestResolution:
    def test_co_applicants_and_fi_ties(self) -> None:
        result = read([LIST_1, LIST_2])
        collab = rels(result, "COLLABORATES_WITH")
        assert set(collab) == {
            ("org:1342005003579", "org:6442001006802"),
            ("org:2314005001234", "org:9314001002345"),
            ("org:6322005001357", "org:7322001003579"),
        }
        assert collab[("org:2314005001234", "org:9314001002345")]["kind"] == "co_application"
        assert collab[("org:2314005001234", "org:9314001002345")]["weight"] == 1.0
        active = rels(result, "ACTIVE_IN")
        assert active[("org:7322001003579", "tech:B23Q")]["patents"] == 2
        assert active[("org:9314001005678", "tech:H02J")]["patents"] == 1  # （株）神戸バイオ, H02J3/00,170
        assert ("org:9314001002345", "tech:C21D") in active
        tech = {n.id: n.props for n in result.batch.nodes}
        assert tech["tech:H02J"] == {"scheme": "FI", "code": "H02J", "name": "H02J"}

    def test_unresolved_are_reported_never_guessed(self) -> None:
        result = read([LIST_1, LIST_2])
        unresolved = {e["applicant"]: e for e in result.report["unresolved"]}
        assert set(unresolved) == {"深▲セン▼市創新科技有限公司", "金沢精工株式会社", "ミナト株式会社"}
        shenzhen = unresolved["深▲セン▼市創新科技有限公司"]  # text kept with its marks
        assert shenzhen["normalised"] == "深セン市創新科技有限公司" and shenzhen["documents"] == ["特開2024-055555"]
        assert result.report["ambiguous"] == []
        assert result.report["resolved"] == 8 and result.report["applicants"] == 11

    def test_ambiguous_names_list_their_candidates(self) -> None:
        minato = {
            "org:minato-a": {"name": "株式会社ミナト", "labels": ["Organization", "Company"], "region": "kobe"},
            "org:minato-b": {"name": "有限会社ミナト", "labels": ["Organization", "Company"], "region": "aomori"},
        }
        result = read([LIST_2], houjin_context(minato))
        (entry,) = result.report["ambiguous"]
        assert entry["applicant"] == "ミナト株式会社" and entry["documents"] == ["特開2019-010101"]
        assert [c["id"] for c in entry["candidates"]] == ["org:minato-a", "org:minato-b"]
        assert not [r for r in result.batch.relationships if r.source.startswith("org:minato")]
        # within one region the name is unique again
        kobe = read([LIST_2], houjin_context(minato), region="kobe")
        assert kobe.report["ambiguous"] == [] and ("org:minato-a", "tech:G06N") in rels(kobe, "ACTIVE_IN")

    def test_region_restricts_the_candidates(self) -> None:
        result = read([LIST_1, LIST_2], region="kobe")
        assert {s for s, _ in rels(result, "ACTIVE_IN")} == {
            "org:2314005001234",
            "org:9314001002345",
            "org:9314001005678",
        }
        assert "株式会社八戸水産加工" in {e["applicant"] for e in result.report["unresolved"]}


class TestBadInput:
    def raises(self, path: Path, *fragments: str) -> None:
        with pytest.raises(LoaderError) as caught:
            read([LIST_1, path])
        message = str(caught.value)
        for fragment in (path.name, *fragments):
            assert fragment in message, message

    def file(self, tmp_path: Path, old: str, new: str, source: Path = LIST_2) -> Path:
        text = source.read_text(encoding="utf-8-sig")
        assert old in text
        path = tmp_path / "bad.csv"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    def test_not_a_jplatpat_list(self, tmp_path: Path) -> None:
        self.raises(self.file(tmp_path, "出願人/権利者,", "出願人,"), "line 1", "'出願人/権利者'", "missing column")

    def test_extra_trailing_field(self, tmp_path: Path) -> None:
        path = self.file(tmp_path, "需要予測装置,2017/08/08", "需要予測装置,2017/08/08,extra")
        self.raises(path, "line 4", "'column 6'", "extra trailing field")

    def test_missing_field(self, tmp_path: Path) -> None:
        self.raises(self.file(tmp_path, "需要予測装置,2017/08/08", "需要予測装置"), "line 4", "'出願日'")

    def test_shift_jis_is_detected(self, tmp_path: Path) -> None:
        path = tmp_path / "sjis.csv"
        path.write_bytes(LIST_2.read_text(encoding="utf-8-sig").encode("cp932"))
        result, reference = read([path]), read([LIST_2])
        assert result.report["encodings"] == {str(path): "cp932"}
        assert result.report["documents"] == reference.report["documents"] > 0

    def test_neither_encoding_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "latin1.csv"
        path.write_bytes(LIST_2.read_bytes() + "Société Générale\n".encode("latin-1") + b"\x80\x81\n")
        self.raises(path, "'encoding'", "neither UTF-8 nor Shift-JIS")

    def test_empty_file(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.csv"
        path.write_text("\n", encoding="utf-8")
        self.raises(path, "'file'", "empty")

    def test_twenty_megabyte_field(self, tmp_path: Path) -> None:
        self.raises(self.file(tmp_path, "需要予測装置", "需" * 20_000_000), "line 4", "20,000,000 characters")

    def test_formula_in_an_applicant(self, tmp_path: Path) -> None:
        path = self.file(tmp_path, "ミナト株式会社", '"=HYPERLINK(""http://x.example"",""ミナト"")"')
        self.raises(path, "line 4", "'出願人/権利者'", "formula")

    def test_bad_fi(self, tmp_path: Path) -> None:
        self.raises(self.file(tmp_path, '"G06N20/00"', "需要予測"), "line 4", "'FI'", "'需要予測'")


# --- through both stores -----------------------------------------------------------------------


def load(store: Store, paths: list[Path], **options: Any) -> tuple[LoadSummary, LoadResult]:
    result = read_jplatpat(paths, LoadOptions(**options), LoadContext.from_graph(store.read_graph()))
    return store.write_batch(result.batch), result


def test_load_twice_changes_nothing(store: Store) -> None:
    store.write_batch(read_houjin(HOUJIN, LoadOptions(), LoadContext()).batch)
    first, result = load(store, [LIST_1, LIST_2], region="kobe")
    assert result.report["resolved"] == 3  # 神戸製鋼所, 神戸大学, （株）神戸バイオ
    assert first.relationships_created == len(result.batch.relationships) > 0
    counts = store.counts()
    second, _ = load(store, [LIST_2, LIST_1], region="kobe")
    assert (second.nodes_created, second.nodes_updated, second.relationships_updated) == (0, 0, 0)
    assert second.relationships_unchanged == first.relationships_created
    assert store.counts() == counts


def test_a_bad_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    store.write_batch(read_houjin(HOUJIN, LoadOptions(), LoadContext()).batch)
    before = store.counts()
    bad = tmp_path / "bad.csv"
    bad.write_text(LIST_2.read_text(encoding="utf-8").replace('"G06N20/00"', "=cmd"), encoding="utf-8")
    with pytest.raises(LoaderError):
        load(store, [LIST_1, bad])
    assert store.counts() == before

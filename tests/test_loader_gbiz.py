"""The gBizINFO 特許 and 補助金 loaders on hand-written fixtures of both generations (data-formats.md §2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.store import LoadSummary, Store
from loaders.base import LoadContext, LoaderError, LoadOptions, LoadResult
from loaders.gbiz import ATTRIBUTION, fiscal_year, government_id, read_gbiz_patent, read_gbiz_subsidy
from loaders.houjin import read_houjin
from loaders.registry import LOADERS
from tests.conftest import FIXTURES

GBIZ = FIXTURES / "gbiz"
PATENT_NOW = GBIZ / "Tokkyojoho_current.csv"
PATENT_OLD = GBIZ / "Tokkyojoho_old.csv"
SUBSIDY_NOW = GBIZ / "Hojokinjoho_current.csv"
SUBSIDY_OLD = GBIZ / "Hojokinjoho_old.csv"
#: Today's generation: 商号または名称 / 登記住所, six metadata columns, a row without 法人番号, 仙台市.
PATENT_2025 = GBIZ / "Tokkyojoho_2025.csv"
SUBSIDY_2025 = GBIZ / "Hojokinjoho_2025.csv"
SENDAI = "org:8000020041009"
#: The bulk-file fixtures (the change file with deletions and the role cases have their own tests).
HOUJIN = sorted(p for p in (FIXTURES / "houjin").glob("*.csv") if not p.name.startswith(("diff_", "28_17_")))


def houjin_context() -> LoadContext:
    """The organisations of the 法人番号 fixtures, as the store would hand them to a loader."""
    batch = read_houjin(HOUJIN, LoadOptions(), LoadContext()).batch
    orgs = {n.id: {**n.props, "labels": list(n.labels)} for n in batch.nodes if n.id.startswith("org:")}
    return LoadContext(orgs)


def rels(result: LoadResult, rel_type: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.source, r.target): r.props for r in result.batch.relationships if r.type == rel_type}


def write(tmp_path: Path, source: Path, old: str, new: str, name: str = "bad.csv") -> Path:
    text = source.read_text(encoding="utf-8-sig")
    assert old in text
    path = tmp_path / name
    path.write_text("\ufeff" + text.replace(old, new, 1), encoding="utf-8", newline="")
    return path


class TestPatents:
    def test_fi_subclasses_become_active_in_with_counts(self) -> None:
        result = read_gbiz_patent([PATENT_NOW, PATENT_OLD], LoadOptions(), houjin_context())
        active = rels(result, "ACTIVE_IN")
        assert active[("org:6442001006802", "tech:A23L")]["patents"] == 2  # A23L17/40 and A23L17/00,101
        assert active[("org:6442001006802", "tech:A23B")]["patents"] == 1
        assert active[("org:7322001003579", "tech:B23Q")]["patents"] == 2  # older generation: 出願番号
        assert active[("org:1301001006789", "tech:H02J")]["patents"] == 1  # H02J3/00,170 is one code
        tech = {n.id: n.props for n in result.batch.nodes if n.labels == ("TechField",)}
        assert tech["tech:A23L"] == {"scheme": "FI", "code": "A23L", "name": "A23L", "evidence": ATTRIBUTION}
        assert set(tech) == {"tech:A23B", "tech:A23L", "tech:B23Q", "tech:C22C", "tech:G05B", "tech:H02J"}

    def test_shared_rights_are_co_applications(self) -> None:
        result = read_gbiz_patent([PATENT_NOW, PATENT_OLD], LoadOptions(), houjin_context())
        collab = rels(result, "COLLABORATES_WITH")
        assert set(collab) == {
            ("org:1342005003579", "org:6442001006802"),  # 7123456: 八戸水産加工 + 青森県産業技術センター
            ("org:2314005001234", "org:9314001002345"),  # 7345678: 神戸製鋼所 + 神戸大学
            ("org:6322005001357", "org:7322001003579"),  # 2019-123456 (older file): 金沢大学 + 小松精機
        }
        first = collab[("org:1342005003579", "org:6442001006802")]
        assert first["kind"] == "co_application" and first["weight"] == 1.0
        assert first["evidence"] == f"{ATTRIBUTION} https://www.j-platpat.inpit.go.jp/c1800/PU/JP-7123456/15/ja"
        assert result.report["co_owned_rights_by_type"] == {"特許": 3}

    def test_attribution_and_both_generations_without_context(self) -> None:
        result = read_gbiz_patent([PATENT_OLD, PATENT_NOW], LoadOptions(), LoadContext())
        assert result.report["attribution"] == "出典：gBizINFO（経済産業省）"
        assert all(r.props["evidence"].startswith(ATTRIBUTION) for r in result.batch.relationships)
        orgs = {n.id: n for n in result.batch.nodes if n.id.startswith("org:")}
        assert result.report["organisations_created"] == len(orgs) == 7
        assert orgs["org:6322005001357"].labels == ("Organization", "University")  # name rules of houjin
        assert orgs["org:1342005003579"].labels == ("Organization", "ResearchInstitute")
        fish = orgs["org:6442001006802"]
        assert fish.labels == ("Organization", "Company") and fish.props["corporate_number"] == "6442001006802"
        assert fish.props["evidence"] == f"{ATTRIBUTION} https://www.j-platpat.inpit.go.jp/c1800/PU/JP-7123456/15/ja"
        assert orgs["org:6322005001357"].props["evidence"] == f"{ATTRIBUTION} 2019-123456"  # older: 出願番号

    def test_known_organisations_are_referenced_not_created(self) -> None:
        context = houjin_context()
        seeded = dict(context.organisations)
        seeded["org:kobe-u"] = {**seeded.pop("org:2314005001234"), "name": "神戸大学"}
        result = read_gbiz_patent([PATENT_NOW], LoadOptions(), LoadContext(seeded))
        assert not [n for n in result.batch.nodes if n.id.startswith("org:")]
        assert ("org:9314001002345", "org:kobe-u") in rels(result, "COLLABORATES_WITH")


class TestSubsidies:
    def test_finances_from_the_issuer(self) -> None:
        result = read_gbiz_subsidy([SUBSIDY_NOW, SUBSIDY_OLD], LoadOptions(), houjin_context())
        finances = rels(result, "FINANCES")
        monodzukuri = finances[("org:gov-chusho", "org:6442001006802")]
        assert monodzukuri == {
            **monodzukuri,
            "kind": "subsidy",
            "amount": 12_500_000.0,  # "10,000,000" + "2,500,000": same fiscal year and title
            "grants": 2,
            "date": "2023-06-30",
            "fiscal_year": 2023,  # 2024-02-15 is still FY2023
        }
        assert finances[("org:gov-jpo", "org:9314001005678")]["amount"] == -250_000.0
        assert finances[("org:gov-jpo", "org:9314001005678")]["fiscal_year"] == 2024
        assert "amount" not in finances[("org:gov-chusho", "org:7322001003579")]  # Null
        assert finances[("org:gov-chusho", "org:7322001003579")]["fiscal_year"] == 2021
        old = finances[("org:gov-meti", "org:6322005001357")]  # older generation: 府省, 補助金等, 認定日
        assert old["title"] == "戦略的基盤技術高度化支援事業" and old["funding_source"] == "一般会計"
        assert old["joint_recipients"] == ["株式会社小松精機工作所", "国立大学法人金沢大学"]
        assert finances[("org:gov-mext", "org:2314005001234")]["date"] == "2021-01-20"  # 2021/01/20
        assert all(p["evidence"].startswith(ATTRIBUTION) for p in finances.values())
        assert result.report["attribution"] == ATTRIBUTION

    def test_issuers_are_government_bodies_or_known_organisations(self) -> None:
        result = read_gbiz_subsidy([SUBSIDY_NOW, SUBSIDY_OLD], LoadOptions(), houjin_context())
        issuers = {n.id: n for n in result.batch.nodes}
        assert set(issuers) == {"org:gov-chusho", "org:gov-jpo", "org:gov-meti", "org:gov-mext"}
        assert issuers["org:gov-jpo"].labels == ("Organization", "GovernmentBody")
        assert issuers["org:gov-jpo"].props["name"] == "特許庁"
        # 青森県 is already in the store (法人番号 fixtures): referenced by name, not created again.
        assert ("org:2000020020001", "org:5342005004680") in rels(result, "FINANCES")

    def test_slugs_are_stable_ascii(self) -> None:
        assert government_id("経済産業省") == "org:gov-meti" and government_id(" 中小企業庁 ") == "org:gov-chusho"
        assert government_id("青森県") == government_id("青森県") and government_id("青森県").isascii()
        assert government_id("青森県") != government_id("石川県")

    def test_fiscal_year_april_to_march(self) -> None:
        from datetime import date

        assert [fiscal_year(date(2024, m, 1)) for m in (1, 3, 4, 12)] == [2023, 2023, 2024, 2024]


class TestBadInput:
    def raises(self, loader: Any, path: Path, *fragments: str) -> LoaderError:
        with pytest.raises(LoaderError) as caught:
            loader([path], LoadOptions(), LoadContext())
        message = str(caught.value)
        for fragment in (path.name, *fragments):
            assert fragment in message, message
        return caught.value

    def test_bad_check_digit(self, tmp_path: Path) -> None:
        path = write(tmp_path, PATENT_NOW, '"9314001002345"', '"9314001002346"')
        self.raises(read_gbiz_patent, path, "line 5", "'法人番号'", "check digit")

    def test_renamed_column(self, tmp_path: Path) -> None:
        path = write(tmp_path, PATENT_NOW, '"特許_FI分類_コード値",', '"FI分類",')
        self.raises(read_gbiz_patent, path, "line 1", "'特許_FI分類_コード値'", "missing column")

    def test_missing_issuer_column(self, tmp_path: Path) -> None:
        path = write(tmp_path, SUBSIDY_NOW, ',"発行元"', "")
        self.raises(read_gbiz_subsidy, path, "line 1", "発行元 or 府省")

    def test_extra_trailing_field(self, tmp_path: Path) -> None:
        path = write(tmp_path, SUBSIDY_NOW, '"中小企業者","中小企業庁"\n', '"中小企業者","中小企業庁","x"\n')
        self.raises(read_gbiz_subsidy, path, "line 2", "'column 9'", "extra trailing field")

    def test_amount_that_is_not_a_number(self, tmp_path: Path) -> None:
        path = write(tmp_path, SUBSIDY_NOW, '"-250,000"', '"二十五万"')
        self.raises(read_gbiz_subsidy, path, "line 4", "'金額'", "二十五万")

    def test_date_that_is_not_a_date(self, tmp_path: Path) -> None:
        path = write(tmp_path, SUBSIDY_OLD, '"2021/01/20"', '"2021/02/30"')
        self.raises(read_gbiz_subsidy, path, "line 3", "'認定日'", "2021/02/30")

    def test_shift_jis_is_detected(self, tmp_path: Path) -> None:
        path = tmp_path / "sjis.csv"
        path.write_bytes(SUBSIDY_NOW.read_text(encoding="utf-8-sig").encode("cp932"))
        result = read_gbiz_subsidy([path], LoadOptions(), LoadContext())
        reference = read_gbiz_subsidy([SUBSIDY_NOW], LoadOptions(), LoadContext())
        assert result.report["encodings"] == {str(path): "cp932"}
        assert reference.report["encodings"] == {str(SUBSIDY_NOW): "utf-8-sig"}
        assert result.report["finances"] == reference.report["finances"] > 0

    def test_unknown_encoding_option(self) -> None:
        with pytest.raises(LoaderError, match="field 'encoding': unknown encoding 'sjis2'"):
            read_gbiz_subsidy([SUBSIDY_NOW], LoadOptions(encoding="sjis2"), LoadContext())

    def test_empty_file(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.csv"
        path.write_bytes(b"")
        self.raises(read_gbiz_patent, path, "'file'", "empty")

    def test_twenty_megabyte_field(self, tmp_path: Path) -> None:
        path = write(tmp_path, PATENT_NOW, "イカの熟成装置", "イ" * 20_000_000)
        self.raises(read_gbiz_patent, path, "line 4", "20,000,000 characters")

    def test_formula_in_a_name(self, tmp_path: Path) -> None:
        path = write(tmp_path, SUBSIDY_NOW, '"株式会社神戸バイオ"', '"=HYPERLINK(""http://x.example"",""bio"")"')
        self.raises(read_gbiz_subsidy, path, "line 4", "'法人名'", "formula")

    def test_bad_fi_code(self, tmp_path: Path) -> None:
        path = write(tmp_path, PATENT_NOW, '"H02J3/00,170"', '"電力"')
        self.raises(read_gbiz_patent, path, "line 9", "'特許_FI分類_コード値'", "'電力'")


class TestCurrentGeneration:
    """The header of today's downloads, with metadata columns and a row without 法人番号 (issue 13)."""

    def test_header_has_the_new_names_and_six_metadata_columns(self) -> None:
        for path in (PATENT_2025, SUBSIDY_2025):
            header = path.read_text(encoding="utf-8-sig").splitlines()[0]
            assert '"商号または名称","登記住所"' in header and "法人名" not in header
            assert header.endswith('"キー情報","データ品質","出典元","データ取込頻度","最終取得日","最終更新日"')

    @pytest.mark.parametrize(
        ("loader", "current", "new"),
        [(read_gbiz_patent, PATENT_NOW, PATENT_2025), (read_gbiz_subsidy, SUBSIDY_NOW, SUBSIDY_2025)],
    )
    def test_reads_like_the_previous_generation_plus_its_extra_rows(
        self, loader: Any, current: Path, new: Path
    ) -> None:
        before = loader([current], LoadOptions(), houjin_context())
        after = loader([new], LoadOptions(), houjin_context())
        old_ties = {(r.type, r.source, r.target) for r in before.batch.relationships}
        new_ties = {(r.type, r.source, r.target) for r in after.batch.relationships}
        assert old_ties < new_ties and any(SENDAI in (s, t) for _, s, t in new_ties - old_ties)
        (skipped,) = after.report["skipped_rows"]["rows"]
        assert skipped["field"] == "法人番号" and skipped["line"].startswith(f"{new} line ")
        assert any("field '法人番号' is empty: no 法人番号; row skipped" in w for w in after.warnings)

    def test_a_municipality_is_a_government_body_by_its_number(self) -> None:
        result = read_gbiz_subsidy([SUBSIDY_2025], LoadOptions(), LoadContext())
        sendai = next(n for n in result.batch.nodes if n.id == SENDAI)
        assert sendai.labels == ("Organization", "GovernmentBody") and sendai.props["address"].startswith(
            "宮城県仙台市"
        )

    def test_missing_column_lists_the_header_in_file_order(self, tmp_path: Path) -> None:
        path = write(tmp_path, SUBSIDY_2025, '"証明日"', '"交付日"')
        error = TestBadInput().raises(read_gbiz_subsidy, path, "line 1", "'証明日'")
        header = "法人番号, 商号または名称, 登記住所, 交付日, 名称, 金額, 対象, 発行元, キー情報, データ品質, 出典元"
        assert header in str(error)


# --- through both stores -----------------------------------------------------------------------


def load(store: Store, source: str, paths: list[Path]) -> LoadSummary:
    context = LoadContext.from_graph(store.read_graph())
    return store.write_batch(LOADERS[source](paths, LoadOptions(), context).batch)


def test_load_twice_changes_nothing(store: Store) -> None:
    load(store, "houjin", HOUJIN)
    first = load(store, "gbiz-patent", [PATENT_NOW, PATENT_OLD])
    first_sub = load(store, "gbiz-subsidy", [SUBSIDY_NOW, SUBSIDY_OLD])
    # tech fields and co-ownership ties (6, 13), plus the IP layer: 8 rights, 11 holders (issue 19)
    assert (first.nodes_created, first.relationships_created) == (6 + 8, 13 + 11)
    assert (first_sub.nodes_created, first_sub.relationships_created) == (4, 6)  # 7 rows, 2 merged
    counts = store.counts()
    again = load(store, "gbiz-patent", [PATENT_NOW, PATENT_OLD])
    again_sub = load(store, "gbiz-subsidy", [SUBSIDY_NOW, SUBSIDY_OLD])
    for summary in (again, again_sub):
        assert (summary.nodes_created, summary.nodes_updated) == (0, 0)
        assert (summary.relationships_created, summary.relationships_updated) == (0, 0)
    assert store.counts() == counts
    edge = next(iter(store.read_graph().get_edge_data("org:gov-chusho", "org:6442001006802").values()))
    assert edge["source"] == "gbiz-subsidy" and edge["amount"] == 12_500_000.0


def test_into_an_empty_store_creates_the_organisations(store: Store) -> None:
    summary = load(store, "gbiz-patent", [PATENT_NOW])
    assert summary.nodes_created == 4 + 6 + 6  # tech fields + organisations + rights (issue 19)
    again = load(store, "gbiz-patent", [PATENT_NOW])
    # all known now; the rights are nodes the load writes, unchanged (9 ties + 8 holders)
    assert (again.nodes_created, again.nodes_unchanged, again.relationships_unchanged) == (0, 6, 9 + 8)


def test_current_generation_loads_and_again_changes_nothing(store: Store) -> None:
    load(store, "houjin", HOUJIN)
    first = load(store, "gbiz-patent", [PATENT_2025])
    first_sub = load(store, "gbiz-subsidy", [SUBSIDY_2025])
    assert first.relationships_created > 0 and first_sub.relationships_created > 0
    graph = store.read_graph()
    assert graph.nodes[SENDAI]["labels"] == ["Organization", "GovernmentBody"]
    counts = store.counts()
    for source, path in (("gbiz-patent", PATENT_2025), ("gbiz-subsidy", SUBSIDY_2025)):
        again = load(store, source, [path])
        assert (again.nodes_created, again.nodes_updated, again.relationships_created, again.relationships_updated) == (
            0,
            0,
            0,
            0,
        )
    assert store.counts() == counts


def test_a_bad_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    load(store, "houjin", HOUJIN)
    before = store.counts()
    bad = write(tmp_path, SUBSIDY_NOW, '"-250,000"', '"=1+1"')
    with pytest.raises(LoaderError):
        load(store, "gbiz-subsidy", [SUBSIDY_OLD, bad])
    assert store.counts() == before

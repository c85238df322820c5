"""The 法人番号 loader on hand-written fixtures in the bulk format (data-formats.md §1)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import ClassVar

import pytest

from graph.identifiers import corporate_number_check_digit
from graph.store import LoadSummary, Store
from loaders.base import LoadContext, LoaderError, LoadOptions, LoadResult
from loaders.houjin import classify_role, read_houjin
from tests.conftest import FIXTURES

HOUJIN = FIXTURES / "houjin"
TOKYO = HOUJIN / "13_tokyo_sample.csv"
AOMORI = HOUJIN / "02_aomori_all_20251031.csv"
AOMORI_ZIP = HOUJIN / "02_aomori_all_20251031.zip"
MIXED = HOUJIN / "kobe_ishikawa_31col.csv"
WEBAPI = HOUJIN / "webapi_diff_20251101.csv"
ALL = [AOMORI, TOKYO, MIXED, WEBAPI]


def read(paths: list[Path], context: LoadContext | None = None, **options: object) -> LoadResult:
    return read_houjin(paths, LoadOptions(**options), context or LoadContext())  # type: ignore[arg-type]


def nodes(result: LoadResult) -> dict[str, dict[str, object]]:
    return {n.id: {**n.props, "labels": n.labels} for n in result.batch.nodes}


def rels(result: LoadResult, rel_type: str) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in result.batch.relationships if r.type == rel_type}


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def number(base12: str) -> str:
    return f"{corporate_number_check_digit(base12)}{base12}"


class TestFormatQuirks:
    def test_the_two_real_rows(self) -> None:
        result = read([TOKYO])
        found = nodes(result)
        ndl = found["org:1000011000005"]
        assert ndl == {
            **ndl,
            "labels": ("Organization", "GovernmentBody"),
            "name": "国立国会図書館",
            "name_en": "National Diet Library",
            "furigana": "コクリツコッカイトショカン",
            "corporate_number": "1000011000005",
            "prefecture_code": "13",
            "city_code": "13101",
            "address": "東京都千代田区永田町１丁目１０－１",
        }
        hermes = found["org:4010801014350"]
        assert hermes["labels"] == ("Organization", "Company") and "name_en" not in hermes
        assert hermes["address"] == "東京都港区海岸１丁目１６番１号ニューピア竹芝サウスタワー６階"
        assert result.batch.relationships == []  # Tokyo is no model region
        assert result.report["rows"] == 2

    def test_zip_download_reads_like_the_csv(self) -> None:
        from_zip, from_csv = read([AOMORI_ZIP]), read([AOMORI])
        assert nodes(from_zip) == nodes(from_csv)
        assert "02_aomori_all_20251031.zip!02_aomori_all_20251031.csv line 1" in str(from_zip.batch.nodes[0].origin)

    def test_latest_row_wins_over_history(self) -> None:
        found = nodes(read([AOMORI]))
        assert found["org:5420001002345"]["name"] == "株式会社青森みちのく銀行"
        fish = found["org:6442001006802"]  # history row (有限会社, latest=0) comes after the latest one
        assert fish["name"] == "株式会社八戸水産加工" and fish["labels"][1] == "Company"

    def test_highest_update_date_wins_across_files(self) -> None:
        bio = nodes(read([MIXED, WEBAPI]))["org:9314001005678"]
        assert bio["city_code"] == "28111" and bio["name_en"] == "Kobe Bio Inc."

    def test_quoted_quotes_and_31_columns(self) -> None:
        found = nodes(read([MIXED]))
        assert found["org:7322005004680"]["name_en"] == 'Kanazawa "Kokusai" Patent Firm'
        assert found["org:4322001002468"]["name_en"] == "The Hokkoku Bank, Ltd."
        assert len(found) == 12 + 3 - 1  # twelve organisations, Ishikawa and Kobe regions (not Aomori)

    def test_web_api_header_is_skipped(self, tmp_path: Path) -> None:
        assert len(read([WEBAPI]).batch.nodes) == 3  # two organisations and region:kobe
        body = lines(WEBAPI)[1:]
        valued = write(tmp_path, "api.csv", "2025-11-01,2,1,1\n" + "".join(body))
        assert nodes(read([valued])).keys() == nodes(read([WEBAPI])).keys()

    def test_hidden_rows_skipped_unless_asked(self) -> None:
        assert "org:4442001008024" not in nodes(read([AOMORI]))
        assert read([AOMORI]).report["hidden_skipped"] == 1
        shown = nodes(read([AOMORI], include_hidden=True))
        assert shown["org:4442001008024"]["name"] == "株式会社ヒヒョウジ"

    def test_merger_becomes_succeeded_by(self) -> None:
        result = read([AOMORI])
        (rel,) = [r for r in result.batch.relationships if r.type == "SUCCEEDED_BY"]
        assert (rel.source, rel.target) == ("org:9420001004321", "org:5420001002345")
        assert rel.props["date"] == "2025-01-01" and rel.props["cause"] == "dissolution by merger"
        assert nodes(result)["org:9420001004321"]["close_date"] == "2025-01-01"

    def test_successor_outside_the_load_is_a_warning(self, tmp_path: Path) -> None:
        path = write(tmp_path, "closed.csv", lines(AOMORI)[2])
        result = read([path])
        assert rels(result, "SUCCEEDED_BY") == set()
        assert result.report["successor_missing"] == 1
        assert "closed.csv line 1" in result.warnings[0] and "5420001002345" in result.warnings[0]
        context = LoadContext({"org:5420001002345": {"name": "x", "labels": ["Organization", "Company"]}})
        assert rels(read([path], context), "SUCCEEDED_BY") == {("org:9420001004321", "org:5420001002345")}

    def test_history_row_in_area_loses_to_latest_row_outside(self, tmp_path: Path) -> None:
        moved = number("314001009999")
        history = (
            f'1,{moved},01,0,2016-01-01,2015-10-05,"株式会社移転",,301,"兵庫県","神戸市中央区","港島１",,28,110,'
            '6500046,,,,,,,2015-10-05,0,,,,,"イテン",0\n'
        )
        latest = history.replace('"神戸市中央区","港島１",,28,110', '"西宮市","甲子園１",,28,204')
        latest = latest.replace(",0,,,,,", ",1,,,,,").replace("2016-01-01", "2020-01-01")
        path = write(tmp_path, "moved.csv", latest + history)
        assert moved not in str(nodes(read([path], region="kobe")))
        assert nodes(read([path], prefecture_code="28"))[f"org:{moved}"]["city_code"] == "28204"


class TestAreasAndRegions:
    KOBE: ClassVar[set[str]] = {
        "org:2314005001234",
        "org:9314001002345",
        "org:3314001003456",
        "org:9000020281000",
        "org:9314001005678",
    }

    def orgs(self, **options: object) -> set[str]:
        return {k for k in nodes(read(ALL, **options)) if k.startswith("org:")}

    def test_kobe_is_prefecture_28_wards_100_to_111(self) -> None:
        assert self.orgs(region="kobe") == self.KOBE
        assert self.orgs(city_code="28100") == self.KOBE  # a designated city's code selects its wards
        assert self.orgs(city_code="28204") == {"org:6314001004567"}
        assert self.orgs(prefecture_code="28") == {*self.KOBE, "org:6314001004567"}

    def test_aomori_and_ishikawa_are_prefectures(self) -> None:
        aomori = self.orgs(region="aomori")
        assert len(aomori) == 10 and all(n.startswith("org:") for n in aomori)
        assert len(self.orgs(region="ishikawa")) == 5 and self.orgs(prefecture_code="2") == aomori

    def test_located_in_model_regions_inferred_from_codes(self) -> None:
        result = read(ALL)
        located = rels(result, "LOCATED_IN")
        assert {s for s, t in located if t == "region:kobe"} == self.KOBE
        assert ("org:6314001004567", "region:kobe") not in located  # 西宮市 is Hyogo, not Kobe
        assert len({s for s, t in located if t == "region:aomori"}) == 10
        regions = {n.id: n.props for n in result.batch.nodes if n.labels == ("Region",)}
        kobe = {"name": "神戸市", "name_en": "Kobe City", "level": "city", "jis_code": "28100", "model_region_fy": 2024}
        assert regions["region:kobe"] == {
            **kobe,
            "evidence": "https://www.jpo.go.jp/support/chusho/chizai-shien_model_area.html",
        }

    def test_known_region_nodes_are_not_re_created(self) -> None:
        context = LoadContext(known_nodes={"region:kobe": {"labels": ["Region"]}})
        ids = {n.id for n in read([MIXED], context, region="kobe").batch.nodes}
        assert "region:kobe" not in ids and ids >= self.KOBE

    def test_unknown_region_option(self) -> None:
        with pytest.raises(LoaderError, match="unknown region 'osaka'"):
            read([TOKYO], region="osaka")


class TestRoles:
    @pytest.mark.parametrize(
        ("kind", "name", "label"),
        [
            ("399", "国立大学法人弘前大学", "University"),
            ("399", "独立行政法人国立高等専門学校機構八戸工業高等専門学校", "University"),
            ("301", "株式会社北國銀行", "FinancialInstitution"),
            ("399", "青い森信用金庫", "FinancialInstitution"),
            ("399", "石川県信用組合", "FinancialInstitution"),
            ("301", "株式会社日本政策金融公庫", "FinancialInstitution"),
            ("399", "青森商工会議所", "SupportOrganization"),
            ("399", "一般社団法人青森県発明協会", "SupportOrganization"),
            ("399", "公益財団法人石川県産業創出支援機構", "SupportOrganization"),
            ("399", "地方独立行政法人青森県産業技術センター", "ResearchInstitute"),
            ("101", "国立医薬品食品衛生研究所", "ResearchInstitute"),
            ("201", "神戸市", "GovernmentBody"),
            ("101", "国立国会図書館", "GovernmentBody"),
            ("399", "日本弁理士会", "ProfessionalBody"),
            ("399", "特許業務法人金沢国際特許事務所", "ProfessionalBody"),
            ("301", "株式会社三菱総合研究所", "Company"),  # a company, whatever its name says
            ("305", "合同会社よろず屋", "Company"),
            ("401", "アップル・インク", "Company"),
        ],
    )
    def test_rule_table(self, kind: str, name: str, label: str) -> None:
        assert classify_role(kind, name) == (label, False)

    def test_defaults_are_visible(self) -> None:
        assert classify_role("399", "特定非営利活動法人あおもりＮＰＯ") == ("Company", True)
        result = read([AOMORI])
        assert result.report["role_defaults"] == 1
        assert nodes(result)["org:5442005007913"]["role_inferred"] == "default"
        assert all("role_inferred" not in n.props for n in result.batch.nodes if n.id != "org:5442005007913")

    def test_fixture_roles(self) -> None:
        assert read(ALL).report["by_role"] == {
            "Company": 8,
            "FinancialInstitution": 5,
            "GovernmentBody": 3,
            "ProfessionalBody": 2,
            "ResearchInstitute": 1,
            "SupportOrganization": 3,
            "University": 3,
        }


class TestEnrichOnly:
    def test_updates_only_known_organisations_and_keeps_their_identity(self) -> None:
        seeded = {
            "name": "弘前大学",
            "labels": ["Organization", "University"],
            "corporate_number": "3342005001234",
            "source": "seed:real",
            "evidence": "https://www.hirosaki-u.ac.jp/",
            "region": "aomori",
        }
        context = LoadContext({"org:hirosaki-u": seeded})
        result = read(ALL, context, enrich_only=True)
        assert [n.id for n in result.batch.nodes] == ["org:hirosaki-u"]
        assert result.batch.relationships == []
        props = result.batch.nodes[0].props
        assert props["name"] == "弘前大学" and props["source"] == "seed:real"
        assert props["evidence"] == "https://www.hirosaki-u.ac.jp/"
        assert props["furigana"] == "ヒロサキダイガク" and props["city_code"] == "02202"
        assert result.report["enriched"] == 1 and result.report["not_in_store"] == 28


def _bad_rows(tmp_path: Path, replace: tuple[str, str], line: int = 4) -> Path:
    rows = lines(AOMORI)
    assert replace[0] in rows[line - 1]
    rows[line - 1] = rows[line - 1].replace(*replace, 1)
    return write(tmp_path, "bad.csv", "".join(rows))


class TestBadInput:
    def raises(self, path: Path, *fragments: str, **options: object) -> None:
        with pytest.raises(LoaderError) as caught:
            read([path], **options)
        message = str(caught.value)
        assert "nothing was written" in message
        for fragment in (path.name, *fragments):
            assert fragment in message, message

    def test_bad_check_digit(self, tmp_path: Path) -> None:
        path = _bad_rows(tmp_path, ("3342005001234", "4342005001234"))
        self.raises(path, "line 4", "'corporateNumber'", "check digit (expected 3")

    def test_bad_successor_number(self, tmp_path: Path) -> None:
        path = _bad_rows(tmp_path, (",5420001002345,", ",5420001002346,"), line=3)
        self.raises(path, "line 3", "'successorCorporateNumber'")

    def test_extra_trailing_field(self, tmp_path: Path) -> None:
        path = _bad_rows(tmp_path, ('"ヒロサキダイガク",0', '"ヒロサキダイガク",0,extra'))
        self.raises(path, "line 4", "'field 31'", "'extra'")

    def test_missing_column(self, tmp_path: Path) -> None:
        path = _bad_rows(tmp_path, (',"ヒロサキダイガク",0', ",0"))
        self.raises(path, "line 4", "'row'", "expected 30 fields", "got 29")

    def test_wrong_encoding(self, tmp_path: Path) -> None:
        path = write(tmp_path, "sjis.csv", AOMORI.read_text(encoding="utf-8").encode("cp932"))
        self.raises(path, "line 1", "'encoding'", "--encoding cp932")
        assert len(read([path], encoding="cp932").batch.nodes) == 11  # the same file read as Shift-JIS

    def test_bad_byte_is_reported_on_its_own_line(self, tmp_path: Path) -> None:
        raw = AOMORI.read_bytes().split(b"\n")
        raw[6] = raw[6].replace("青森県".encode(), b"\x82\xa0", 1)
        self.raises(write(tmp_path, "byte.csv", b"\n".join(raw)), "line 7", "'encoding'", "0x82")

    def test_empty_file(self, tmp_path: Path) -> None:
        self.raises(write(tmp_path, "empty.csv", ""), "'file'", "is empty")

    def test_twenty_megabyte_field(self, tmp_path: Path) -> None:
        path = _bad_rows(tmp_path, ("文京町１番地", "文" * 20_000_000), line=4)
        self.raises(path, "line 4", "'streetNumber'", "20,000,000 characters")

    def test_formula_in_a_name(self, tmp_path: Path) -> None:
        formula = '=HYPERLINK(""http://evil.example"",""弘前大学"")'
        path = _bad_rows(tmp_path, ("国立大学法人弘前大学", formula))
        self.raises(path, "line 4", "'name'", "formula")

    def test_date_that_is_not_a_date(self, tmp_path: Path) -> None:
        path = _bad_rows(tmp_path, ("2015-11-02", "2015-13-45"))
        self.raises(path, "line 4", "'updateDate'", "2015-13-45")

    def test_every_bad_row_is_listed(self, tmp_path: Path) -> None:
        rows = [row.replace(",1,", ",x,", 1) if i else row for i, row in enumerate(lines(TOKYO))]
        rows = [rows[0].replace("1000011000005", "1000011000006"), rows[1].replace(",0\n", ",2\n")]
        with pytest.raises(LoaderError) as caught:
            read([write(tmp_path, "two.csv", "".join(rows))])
        fields = [(v.origin.line if v.origin else None, v.field) for v in caught.value.violations]
        assert fields == [(1, "corporateNumber"), (2, "hihyoji")]

    def test_zip_without_csv(self, tmp_path: Path) -> None:
        path = tmp_path / "28_hyogo_all_20251031.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "no data")
        self.raises(path, "no .csv")


# --- through both stores -----------------------------------------------------------------------


def load(store: Store, paths: list[Path], **options: object) -> LoadSummary:
    """What ``ipeco load houjin`` does: context from the store, read, write in one transaction."""
    context = LoadContext.from_graph(store.read_graph())
    return store.write_batch(read(paths, context, **options).batch)


def test_load_then_load_again_changes_nothing(store: Store) -> None:
    first = load(store, ALL)
    assert first.nodes_created == 28 and first.relationships_created == 21
    counts = store.counts()
    second = load(store, ALL)
    assert (second.nodes_created, second.nodes_updated, second.relationships_created) == (0, 0, 0)
    assert (second.relationships_updated, second.nodes_unchanged, second.relationships_unchanged) == (0, 25, 21)
    assert store.counts() == counts
    graph = store.read_graph()
    assert graph.nodes["org:5442005007913"]["role_inferred"] == "default"
    assert graph.nodes["org:1000011000005"]["source"] == "houjin"


def test_a_bad_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    load(store, [TOKYO])
    before = store.counts()
    bad = _bad_rows(tmp_path, ("3342005001234", "4342005001234"))
    with pytest.raises(LoaderError):
        load(store, [AOMORI, bad])
    assert store.counts() == before


def test_a_batch_the_store_refuses_writes_nothing(store: Store, tmp_path: Path) -> None:
    """A stale context (the successor was deleted since) fails at the store: nothing is written."""
    before = store.counts()
    closed = write(tmp_path, "closed.csv", lines(AOMORI)[2] + lines(AOMORI)[3])
    context = LoadContext({"org:5420001002345": {"name": "gone", "labels": ["Organization", "Company"]}})
    batch = read([closed], context).batch
    assert len(batch.nodes) == 3  # two organisations and region:aomori
    with pytest.raises(ValueError, match="org:5420001002345"):
        store.write_batch(batch)
    assert store.counts() == before


def test_enrich_only_through_the_store(store: Store, tmp_path: Path) -> None:
    load(store, [TOKYO])
    before = store.counts()
    tokyo = lines(TOKYO)
    tokyo[1] = tokyo[1].replace(",1,,,,,", ',1,"Hermes Systems Inc.",,,,', 1).replace("2018-04-17", "2025-10-01")
    newer = write(tmp_path, "13_tokyo_diff.csv", "".join(tokyo))
    summary = load(store, [newer, AOMORI, MIXED], enrich_only=True)
    assert (summary.nodes_created, summary.nodes_updated, summary.nodes_unchanged) == (0, 1, 1)
    assert summary.relationships_created == 0
    assert store.counts() == before
    assert store.read_graph().nodes["org:4010801014350"]["name_en"] == "Hermes Systems Inc."

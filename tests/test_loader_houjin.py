"""The 法人番号 loader on hand-written fixtures in the bulk format (data-formats.md §1)."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.identifiers import corporate_number_check_digit
from graph.store import LoadSummary, Store
from loaders.base import LoadContext, LoaderError, LoadOptions, LoadResult
from loaders.houjin import _check_digit, classify_role, read_houjin
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

    @pytest.mark.parametrize("progress", [False, True])
    def test_a_read_leaves_no_thread_behind(self, progress: bool) -> None:
        # tqdm's monitor thread, started by any bar and never stopped, made fork_is_safe() false after a
        # read: a bulk load's validation then ran on a thread, one after the CSV writer, not beside it.
        before = set(threading.enumerate())
        assert len(read([AOMORI], progress=progress).batch.nodes) > 0
        assert set(threading.enumerate()) <= before

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
        assert len(aomori) == 9 and all(n.startswith("org:") for n in aomori)  # + 1 unclassified left out
        assert len(self.orgs(region="ishikawa")) == 5 and self.orgs(prefecture_code="2") == aomori

    def test_located_in_model_regions_inferred_from_codes(self) -> None:
        result = read(ALL)
        located = rels(result, "LOCATED_IN")
        assert {s for s, t in located if t == "region:kobe"} == self.KOBE
        assert ("org:6314001004567", "region:kobe") not in located  # 西宮市 is Hyogo, not Kobe
        assert len({s for s, t in located if t == "region:aomori"}) == 9
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
            ("101", "国立医薬品食品衛生研究所", "GovernmentBody"),  # the kind first: a national body
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
        assert classify_role(kind, name) == label

    def test_unclassified_are_left_out_unless_asked_for(self) -> None:
        assert classify_role("399", "特定非営利活動法人あおもりＮＰＯ") is None
        result = read([AOMORI])
        assert "org:5442005007913" not in nodes(result)
        assert result.report["unclassified"] == {"left_out": 1, "kept": 0, "by_legal_form": {"一般社団法人": 1}}
        assert any("--include-unclassified" in w for w in result.warnings)
        kept = read([AOMORI], include_unclassified=True)
        assert nodes(kept)["org:5442005007913"]["role_inferred"] == "unclassified"
        assert nodes(kept)["org:5442005007913"]["labels"] == ("Organization", "Company")
        assert all("role_inferred" not in n.props for n in kept.batch.nodes if n.id != "org:5442005007913")

    def test_fixture_roles(self) -> None:
        assert read(ALL).report["by_role"] == {
            "Company": 7,  # the 一般社団法人 no rule classifies is left out
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

    def test_neither_utf8_nor_cp932(self, tmp_path: Path) -> None:
        path = write(tmp_path, "latin.csv", AOMORI.read_bytes().replace("青森県".encode(), b"\x81\xff", 1))
        self.raises(path, "line 1", "'encoding'", "neither UTF-8 nor Shift-JIS")
        utf16 = write(tmp_path, "utf16.csv", AOMORI.read_text(encoding="utf-8").encode("utf-16"))
        self.raises(utf16, "line 1", "'encoding'", "UTF-16")

    @pytest.mark.parametrize(
        ("encoding", "message"),
        [("shift-jiss", "unknown encoding 'shift-jiss'"), ("utf-16", "utf-16 does not write ASCII as ASCII")],
    )
    def test_encoding_option_that_cannot_be_used(self, encoding: str, message: str) -> None:
        with pytest.raises(LoaderError) as caught:
            read([AOMORI], encoding=encoding)
        assert str(caught.value.violations[0]).startswith("(options): field 'encoding': " + message)

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
    assert first.nodes_created == 27 and first.relationships_created == 20  # the unclassified one left out
    counts = store.counts()
    second = load(store, ALL)
    assert (second.nodes_created, second.nodes_updated, second.relationships_created) == (0, 0, 0)
    assert (second.relationships_updated, second.nodes_unchanged, second.relationships_unchanged) == (0, 24, 20)
    assert store.counts() == counts
    graph = store.read_graph()
    assert "org:5442005007913" not in graph
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


# --- matching by name: organisations stored without a corporate number (the seeds) ----------------

ON_SEED = HOUJIN / "28_02_on_seed.csv"
#: The fixture's rows and the real seed's organisations they name (seeded without a corporate number).
SEEDED = {"2314005001234": "org:kobe-u", "9314001002345": "org:kobe-steel", "7342005002468": "org:aomori-jiii"}
KOBE_U_ROW = 0  # line 1 of ON_SEED: 国立大学法人神戸大学, 神戸市灘区 (28102)


def stored(name: str, region: str | None = "kobe", **props: object) -> dict[str, object]:
    """A context entry as ``LoadContext.from_graph`` gives it for a seeded organisation."""
    entry: dict[str, object] = {"name": name, "labels": ["Organization", "University"], "source": "seed:real"}
    if region is not None:
        entry["region"] = region
    return {**entry, **props}


def kobe_u_only(tmp_path: Path, *extra_rows: str) -> Path:
    return write(tmp_path, "kobe_u.csv", lines(ON_SEED)[KOBE_U_ROW] + "".join(extra_rows))


class TestNameMatching:
    def test_fixture_rows_have_30_fields_and_valid_numbers(self) -> None:
        import csv

        for fields in csv.reader(lines(ON_SEED)):
            assert len(fields) == 30 and fields[1] == number(fields[1][1:])

    def test_unique_name_in_the_region_is_adopted(self, tmp_path: Path) -> None:
        context = LoadContext({"org:kobe-u": stored("神戸大学", evidence="", confidence="likely")})
        result = read([kobe_u_only(tmp_path)], context)
        assert [n.id for n in result.batch.nodes] == ["org:kobe-u"]  # no org:2314005001234, no region node
        node = nodes(result)["org:kobe-u"]
        assert node["corporate_number"] == "2314005001234" and node["furigana"] == "コウベダイガク"
        assert node["name"] == "神戸大学" and node["source"] == "seed:real" and node["confidence"] == "likely"
        assert node["labels"] == ("Organization", "University") and node["city_code"] == "28102"
        assert result.batch.relationships == []  # the seeded LOCATED_IN seat is kept, not re-emitted
        assert result.report["matched_by_name"] == {
            "count": 1,
            "matches": [("2314005001234", "org:kobe-u", "国立大学法人神戸大学")],
        }
        assert result.report["ambiguous_names"] == [] and result.report["enriched"] == 1
        assert any(
            w.startswith("adopted by name: 国立大学法人神戸大学 (2314005001234) is the stored org:kobe-u")
            for w in result.warnings
        )

    def test_several_candidates_are_reported_not_guessed(self, tmp_path: Path) -> None:
        context = LoadContext(
            {"org:kobe-u": stored("神戸大学"), "org:kobe-u-2": stored("国立大学法人　神戸大学", source="canonical")}
        )
        path = kobe_u_only(tmp_path)
        result = read([path], context)
        assert {n.id for n in result.batch.nodes} == {"org:2314005001234", "region:kobe"}  # created as before
        (entry,) = result.report["ambiguous_names"]
        assert entry["corporate_number"] == "2314005001234" and entry["region"] == "kobe"
        assert entry["normalised"] == "神戸大学" and entry["line"] == f"{path} line 1"
        assert [c["id"] for c in entry["candidates"]] == ["org:kobe-u", "org:kobe-u-2"]
        assert result.report["matched_by_name"]["count"] == 0
        (warning,) = result.warnings
        assert "org:kobe-u (神戸大学), org:kobe-u-2" in warning and "not guessed" in warning
        enrich = read([path], context, enrich_only=True)
        assert enrich.batch.nodes == [] and enrich.report["not_in_store"] == 1
        assert enrich.report["ambiguous_names"] == result.report["ambiguous_names"]
        assert "left out (--enrich-only)" in enrich.warnings[0]

    def test_two_rows_for_one_candidate_are_not_guessed(self, tmp_path: Path) -> None:
        other = number("314005009999")
        twin = lines(ON_SEED)[KOBE_U_ROW].replace("2314005001234", other).replace("1,", "2,", 1)
        result = read([kobe_u_only(tmp_path, twin)], LoadContext({"org:kobe-u": stored("神戸大学")}))
        assert {n.id for n in result.batch.nodes} == {"org:2314005001234", f"org:{other}", "region:kobe"}
        ambiguous = result.report["ambiguous_names"]
        assert [e["corporate_number"] for e in ambiguous] == sorted(["2314005001234", other])
        assert all(e["candidates"] == [{"id": "org:kobe-u", "name": "神戸大学"}] for e in ambiguous)

    @pytest.mark.parametrize(
        ("entry", "why"),
        [
            (stored("神戸大学", region="ishikawa"), "same name, another region"),
            (stored("神戸大学", region=None), "no region: never matched by name"),
            (stored("神戸大学", corporate_number="1234567890123"), "has another corporate number"),
            (stored("Kobe University", name_en="Kobe University"), "English names are not matched"),
        ],
    )
    def test_not_matched(self, tmp_path: Path, entry: dict[str, object], why: str) -> None:
        result = read([kobe_u_only(tmp_path)], LoadContext({"org:kobe-u": entry}))
        assert {n.id for n in result.batch.nodes} == {"org:2314005001234", "region:kobe"}, why
        assert result.report["matched_by_name"]["count"] == 0 and result.report["ambiguous_names"] == []

    def test_a_row_outside_the_model_regions_is_not_matched(self, tmp_path: Path) -> None:
        row = lines(ON_SEED)[KOBE_U_ROW].replace('"神戸市灘区"', '"西宮市"').replace(",28,102,", ",28,204,")
        result = read([write(tmp_path, "nishinomiya.csv", row)], LoadContext({"org:kobe-u": stored("神戸大学")}))
        assert [n.id for n in result.batch.nodes] == ["org:2314005001234"]

    def test_enrich_only_updates_name_matches(self) -> None:
        steel = stored("株式会社神戸製鋼所", labels=["Organization", "Company"])
        context = LoadContext({"org:kobe-u": stored("神戸大学"), "org:kobe-steel": steel})
        result = read([ON_SEED, *ALL], context, enrich_only=True)
        assert sorted(n.id for n in result.batch.nodes) == ["org:kobe-steel", "org:kobe-u"]
        assert result.batch.relationships == []
        assert nodes(result)["org:kobe-steel"]["corporate_number"] == "9314001002345"
        assert result.report["matched_by_name"]["count"] == 2


def load_seed(store: Store) -> dict[str, object]:
    import seeds

    store.write_batch(seeds.real_seed_batch())
    return store.counts()


def load_with_result(store: Store, paths: list[Path], **options: object) -> tuple[LoadSummary, LoadResult]:
    result = read(paths, LoadContext.from_graph(store.read_graph()), **options)
    return store.write_batch(result.batch), result


def test_registry_rows_enrich_the_seeded_organisations(store: Store) -> None:
    """The real seed has no corporate numbers: the registry's rows adopt its nodes instead of doubling them."""
    before = load_seed(store)
    assert all("corporate_number" not in store.read_graph().nodes[org_id] for org_id in SEEDED.values())
    summary, result = load_with_result(store, [ON_SEED])
    assert (summary.nodes_created, summary.nodes_updated, summary.relationships_created) == (0, 3, 0)
    assert store.counts() == before  # counts by label and by type unchanged
    graph = store.read_graph()
    for corporate_number, org_id in SEEDED.items():
        node = graph.nodes[org_id]
        assert node["corporate_number"] == corporate_number and node["source"] == "seed:real"
        assert f"org:{corporate_number}" not in graph
    assert graph.nodes["org:kobe-u"]["name"] == "神戸大学"
    assert graph.nodes["org:kobe-u"]["labels"] == ["Organization", "University"]
    assert graph.nodes["org:aomori-jiii"]["name"] == "一般社団法人青森県発明協会"
    assert graph.nodes["org:aomori-jiii"]["furigana"] == "アオモリケンハツメイキョウカイ"
    assert result.report["matched_by_name"]["count"] == 3 and result.report["ambiguous_names"] == []
    again, second = load_with_result(store, [ON_SEED])
    assert (again.nodes_created, again.nodes_updated, again.nodes_unchanged) == (0, 0, 3)
    assert (again.relationships_created, again.relationships_updated) == (0, 0)
    assert second.report["matched_by_name"]["count"] == 0 and second.report["enriched"] == 3
    assert store.counts() == before


def test_all_fixtures_on_the_seed_keep_seeded_ties_and_load_twice_alike(store: Store) -> None:
    from loaders.jplatpat import normalise_name

    load_seed(store)
    _, result = load_with_result(store, ALL)
    # 15: ISICO too, whose seeded name ends in an ascii abbreviation, (ISICO)
    assert result.report["matched_by_name"]["count"] == 15 and result.report["succeeded_by_kept"] == 1
    counts = store.counts()
    graph = store.read_graph()
    (merger,) = [
        a for s, t, a in graph.edges(data=True) if (s, t) == ("org:michinoku-bank", "org:aomori-michinoku-bank")
    ]
    assert merger["source"] == "seed:real" and merger["evidence"].startswith("https://")  # the seed's page
    kobe = LoadContext.from_graph(graph).organisations
    steel = [i for i, a in kobe.items() if a.get("region") == "kobe" and normalise_name(a["name"]) == "神戸製鋼所"]
    assert steel == ["org:kobe-steel"]  # J-PlatPat now resolves 神戸製鋼所 to one organisation
    again, _ = load_with_result(store, ALL)
    assert (again.nodes_created, again.nodes_updated) == (0, 0)
    assert (again.relationships_created, again.relationships_updated) == (0, 0)
    assert store.counts() == counts


def test_ambiguous_names_through_the_store(store: Store) -> None:
    from graph.batch import Batch, NodeRecord, RelRecord

    load_seed(store)
    twin = NodeRecord("org:kobe-u-twin", ("Organization", "University"), {"name": "国立大学法人 神戸大学"})
    store.write_batch(Batch("test", [twin], [RelRecord("LOCATED_IN", "org:kobe-u-twin", "region:kobe", {})]))
    before = store.counts()
    summary, result = load_with_result(store, [ON_SEED], enrich_only=True)
    (entry,) = result.report["ambiguous_names"]
    assert [c["id"] for c in entry["candidates"]] == ["org:kobe-u", "org:kobe-u-twin"]
    assert (summary.nodes_created, summary.nodes_updated) == (0, 2)  # 神戸製鋼所 and 青森県発明協会 only
    graph = store.read_graph()
    assert (
        "corporate_number" not in graph.nodes["org:kobe-u"] and "corporate_number" not in graph.nodes["org:kobe-u-twin"]
    )
    assert store.counts() == before


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_fast_check_digit_is_the_reference(base12: str) -> None:
    """The reader's unrolled check digit (byte sums) equals graph.identifiers' on any 12 digits."""
    assert _check_digit(base12) == corporate_number_check_digit(base12)

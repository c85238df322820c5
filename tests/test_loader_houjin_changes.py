"""法人番号 change files as the NTA publishes them: deletion rows, unknown process codes, Shift-JIS (issue 13)."""

from __future__ import annotations

from pathlib import Path

from graph.store import LoadSummary, Store
from loaders.base import LoadContext, LoadOptions, LoadResult
from loaders.houjin import read_houjin
from tests.conftest import FIXTURES

HOUJIN = FIXTURES / "houjin"
CHANGES = HOUJIN / "diff_20251120_deletions.csv"
ON_SEED = HOUJIN / "28_02_on_seed.csv"
WEBAPI = HOUJIN / "webapi_diff_20251101.csv"
#: The deletion row exactly as the issue quotes it from a real change file.
ISSUE_ROW = "244,1700150032837,99,,2021-08-24,,,,,,,,,,,,,,,,,,,,,,,,,"


def read(paths: list[Path], context: LoadContext | None = None, **options: object) -> LoadResult:
    return read_houjin(paths, LoadOptions(**options), context or LoadContext())  # type: ignore[arg-type]


def sjis_copy(tmp_path: Path, source: Path = CHANGES) -> Path:
    """The same change file in the NTA's Shift-JIS variant (CRLF, as the download has it)."""
    path = tmp_path / f"sjis_{source.name}"
    path.write_bytes(source.read_text(encoding="utf-8").replace("\n", "\r\n").encode("cp932"))
    return path


class TestReading:
    def test_the_issue_row_is_a_deletion_of_a_number_nobody_holds(self, tmp_path: Path) -> None:
        assert ISSUE_ROW in CHANGES.read_text(encoding="utf-8").splitlines()
        path = tmp_path / "only_deletion.csv"
        path.write_text(ISSUE_ROW + "\n", encoding="utf-8")
        result = read([path])
        assert result.batch.nodes == [] and result.batch.relationships == []
        assert result.report["deleted"] == {"rows": 1, "marked": [], "dropped_from_this_load": 0, "not_in_store": 1}

    def test_unknown_process_code_is_skipped_with_its_line_and_the_rest_loads(self) -> None:
        result = read([CHANGES])
        assert {n.id for n in result.batch.nodes} == {"org:5314001007777", "region:kobe"}
        assert result.report["skipped_rows"]["count"] == 1
        (entry,) = result.report["skipped_rows"]["rows"]
        assert entry["line"] == f"{CHANGES} line 5" and entry["field"] == "process" and "'98'" in entry["reason"]
        assert any(
            w.startswith(f"{CHANGES} line 5: field 'process': unknown process code '98'") for w in result.warnings
        )

    def test_a_deletion_after_a_row_of_the_same_number_drops_it(self, tmp_path: Path) -> None:
        first = CHANGES.read_text(encoding="utf-8").splitlines()[0]
        path = tmp_path / "new_then_deleted.csv"
        path.write_text(first + "\n" + "246,5314001007777,99,,2025-11-21,,,,,,,,,,,,,,,,,,,,,,,,,\n", encoding="utf-8")
        result = read([path])
        assert result.batch.nodes == []
        assert result.report["deleted"]["dropped_from_this_load"] == 1

    def test_a_deletion_applies_whatever_the_area(self) -> None:
        context = LoadContext(
            {
                "org:9314001005678": {
                    "name": "株式会社神戸バイオ",
                    "source": "houjin",
                    "labels": ["Organization", "Company"],
                    "corporate_number": "9314001005678",
                }
            }
        )
        result = read([CHANGES], context, region="aomori")
        marked = {n.id: n.props for n in result.batch.nodes}
        assert marked == {
            "org:9314001005678": {
                "name": "株式会社神戸バイオ",
                "corporate_number": "9314001005678",
                "evidence": "9314001005678",
                "deleted_on": "2025-11-20",
            }
        }

    def test_shift_jis_file_reads_without_flags_like_the_unicode_one(self, tmp_path: Path) -> None:
        sjis = sjis_copy(tmp_path)
        from_sjis, from_utf8 = read([sjis]), read([CHANGES])
        assert from_sjis.report["encodings"] == {str(sjis): "cp932"}
        assert from_utf8.report["encodings"] == {str(CHANGES): "utf-8"}
        assert [(n.id, n.props) for n in from_sjis.batch.nodes] == [(n.id, n.props) for n in from_utf8.batch.nodes]
        assert read([sjis], encoding="cp932").report["encodings"] == {str(sjis): "cp932"}  # --encoding overrides

    def test_utf8_with_bom(self, tmp_path: Path) -> None:
        path = tmp_path / "bom.csv"
        path.write_bytes(b"\xef\xbb\xbf" + CHANGES.read_bytes())
        assert read([path]).report["encodings"] == {str(path): "utf-8-sig"}


# --- through both stores -----------------------------------------------------------------------


def load(store: Store, paths: list[Path], **options: object) -> tuple[LoadSummary, LoadResult]:
    """What ``ipeco load houjin`` does: context from the store, read, write in one transaction."""
    result = read(paths, LoadContext.from_graph(store.read_graph()), **options)
    return store.write_batch(result.batch), result


def test_change_file_with_deletions_loads_and_a_second_load_changes_nothing(store: Store, tmp_path: Path) -> None:
    import seeds

    store.write_batch(seeds.real_seed_batch())
    load(store, [ON_SEED])  # 株式会社神戸製鋼所 (9314001002345) is adopted by the seeded org:kobe-steel
    load(store, [WEBAPI])  # 株式会社神戸バイオ (9314001005678) is known from the NTA data only
    summary, result = load(store, [CHANGES], region="kobe")
    assert (summary.nodes_created, summary.nodes_updated) == (1, 2)  # 神戸テストラボ; two numbers deleted
    graph = store.read_graph()
    steel = graph.nodes["org:kobe-steel"]
    assert steel["corporate_number"] == "" and steel["corporate_number_deleted"] == "9314001002345"
    assert steel["deleted_on"] == "2025-11-20" and steel["source"] == "seed:real"
    assert steel["name"] == "株式会社神戸製鋼所" and steel["labels"] == ["Organization", "Company"]
    bio = graph.nodes["org:9314001005678"]
    assert bio["deleted_on"] == "2025-11-20" and bio["corporate_number"] == "9314001005678"
    assert bio["name"] == "株式会社神戸バイオ" and bio["source"] == "houjin"
    assert graph.nodes["org:5314001007777"]["name"] == "株式会社神戸テストラボ"
    assert any("org:kobe-steel" in w and "loses the number" in w for w in result.warnings)
    deleted = result.report["deleted"]
    assert deleted["not_in_store"] == 1 and {m["id"] for m in deleted["marked"]} == {
        "org:kobe-steel",
        "org:9314001005678",
    }
    counts = store.counts()
    for path in (CHANGES, sjis_copy(tmp_path)):  # the same file again, in either encoding
        again, _ = load(store, [path], region="kobe")
        assert (again.nodes_created, again.nodes_updated, again.relationships_created, again.relationships_updated) == (
            0,
            0,
            0,
            0,
        )
        assert store.counts() == counts

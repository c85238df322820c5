"""Web app logic as plain functions: i18n, URL state, filters, elements, aggregation, data access."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.store import StoreUnavailable
from graph.words import LANGS, STRINGS, empty_reason, fiscal_year, place_text, t
from seeds.synthetic_region import synthetic_region_batch
from tests.sample_batch import hand_built_batch
from webapp.app import bind_warning, create_app, shell_banners
from webapp.data import DataSource, flatten_indicators
from webapp.detail import detail_panel, normalise_search, path_between, path_target_options, search_options
from webapp.elements import (
    MAX_ELEMENTS,
    base_stylesheet,
    build_map,
    filter_options,
    filter_view,
)
from webapp.pages import gaps as gaps_page
from webapp.pages.map import map_result
from webapp.state import MapState, decode_query, encode_query

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"
REPORTS = WEBAPP.parent / "reports"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(hand_built_batch())
    return path


@pytest.fixture
def ds(store_path: Path) -> DataSource:
    return DataSource(lambda: EmbeddedStore(store_path))


# --- i18n -------------------------------------------------------------------------------------
class TestI18n:
    def test_every_key_has_every_language(self) -> None:
        missing = [(k, lang) for k, v in STRINGS.items() for lang in LANGS if not v.get(lang)]
        assert missing == []

    def test_every_literal_key_used_in_the_code_exists(self) -> None:
        """The web app's modules and the reports' modules and templates share one table."""
        used: set[str] = set()
        paths = [*WEBAPP.rglob("*.py"), *REPORTS.rglob("*.py"), *REPORTS.rglob("*.j2")]
        for path in paths:
            used |= set(re.findall(r"\bt\(\s*\"([a-z_]+\.[a-zA-Z_.]+)\"", path.read_text(encoding="utf-8")))
        assert any(key.startswith("doc.") for key in used) and any(key.startswith("map.") for key in used)
        assert sorted(used - set(STRINGS)) == []

    def test_fiscal_years_show_reiwa_and_western(self) -> None:
        assert fiscal_year(2024, "ja") == "令和6年度（FY2024）"
        assert fiscal_year(2024, "en") == "FY2024 (令和6年度)"
        assert fiscal_year(2019, "ja").startswith("令和元年度")
        assert fiscal_year(2018, "ja").startswith("平成30年度")
        assert fiscal_year(None) == ""

    def test_unknown_language_falls_back_to_japanese(self) -> None:
        assert t("nav.map", "fr") == "マップ"
        assert t("notice.counts", "en", nodes=3, edges=2).startswith("Showing 3 nodes (organisations, programmes")


# --- URL state --------------------------------------------------------------------------------
class TestUrlState:
    def test_round_trip(self) -> None:
        state = MapState(
            region="kobe",
            roles=["Company", "University"],
            phases=["launch"],
            years=["2024"],
            ties=["SUPPORTS"],
            data="real",
            layout="concentric",
            size="pagerank",
            color="community",
            sel="org:kobe-u",
            group="Company",
            expand=["org:niro"],
            path="org:fbri",
            lang="en",
        )
        query = state.to_query()
        assert query.startswith("?region=kobe")
        assert "sel=org:kobe-u" in query  # colons stay readable in shared links
        assert MapState.from_params(decode_query(query)) == state

    def test_defaults_are_left_out(self) -> None:
        assert MapState(region="aomori").to_query() == "?region=aomori"

    def test_invalid_values_are_repaired(self) -> None:
        state = MapState.from_params({"layout": "spiral", "data": "x", "lang": "de", "agg": "?", "unknown": "1"})
        assert (state.layout, state.data, state.lang, state.agg) == ("fcose", "all", "ja", "role")

    def test_encode_drops_empties(self) -> None:
        assert encode_query({"a": "", "b": [], "c": None, "d": ["x", "y"]}) == "?d=x,y"


# --- filters and elements ---------------------------------------------------------------------
class TestElements:
    def test_map_draws_the_region(self, ds: DataSource) -> None:
        result = map_result(ds, MapState(region="aomori"))
        ids = {e["data"]["id"] for e in result.elements}
        assert {"region:aomori", "org:hirosaki-u", "org:aomori-window"} <= ids
        assert "org:kobe-u" not in ids
        assert result.layout["name"] == "preset"  # positions come from the server (webapp.layout)
        assert not result.aggregated

    def test_synthetic_items_are_marked(self, ds: DataSource) -> None:
        result = map_result(ds, MapState(region="kobe"))
        synthetic = [e for e in result.elements if "synthetic" in e.get("classes", "").split()]
        assert synthetic, "the sample has synthetic firms in every region"
        assert all("[デモ]" in e["data"]["label"] for e in synthetic if "source" not in e["data"])
        dashed = [r for r in base_stylesheet() if r["selector"] == "node.synthetic"]
        assert dashed[0]["style"]["border-style"] == "dashed"

    def test_role_filter(self, ds: DataSource) -> None:
        view = ds.region_view("ishikawa")
        only_unis = filter_view(view, MapState(region="ishikawa", roles=["University"]))
        kinds = {d["labels"][-1] for _, d in only_unis.nodes(data=True) if "Organization" in d["labels"]}
        assert kinds == {"University"}
        assert "region:ishikawa" in only_unis  # the region stays as the anchor of the picture

    def test_tie_phase_year_and_data_filters(self, ds: DataSource) -> None:
        view = ds.region_view("aomori")
        supports = filter_view(view, MapState(region="aomori", ties=["SUPPORTS"]))
        assert {d["type"] for *_, d in supports.edges(data=True)} == {"SUPPORTS"}
        launch = filter_view(view, MapState(region="aomori", phases=["launch"]))
        assert {d.get("phase") for *_, d in launch.edges(data=True)} <= {None, "launch"}
        fy = filter_view(view, MapState(region="aomori", years=["2025"]))
        assert {d.get("fiscal_year") for *_, d in fy.edges(data=True)} <= {None, 2025}
        real = filter_view(view, MapState(region="aomori", data="real"))
        assert not any(d.get("synthetic") for _, d in real.nodes(data=True))
        assert real.number_of_nodes() < view.number_of_nodes()

    def test_filter_options_come_from_the_data(self, ds: DataSource) -> None:
        options = filter_options(ds.region_view("aomori"), "ja")
        assert [o["value"] for o in options["years"]] == ["2024", "2025"]
        assert options["years"][0]["label"] == "令和6年度（FY2024）"
        assert "SUPPORTS" in {o["value"] for o in options["ties"]}

    def test_colour_by_measure_and_legend(self, ds: DataSource) -> None:
        state = MapState(region="kobe", color="degree", size="degree", layout="concentric")
        result = map_result(ds, state)
        assert result.layout["name"] == "preset"
        assert all("position" in e for e in result.elements if "source" not in e["data"])
        assert len(result.legend) == 2

    def test_large_views_get_server_positions(self, big: DataSource) -> None:
        view = big.region_view("big")
        medium = view.subgraph(sorted(view)[:800]).copy()  # 800 nodes: under the cap, drawn node by node
        result = build_map(medium, MapState(region="big", layout="fcose"))
        assert len(result.elements) <= MAX_ELEMENTS and not result.aggregated
        assert result.layout["name"] == "preset"
        assert all("position" in e for e in result.elements if "source" not in e["data"])

    def test_shortest_path_and_highlight(self, ds: DataSource) -> None:
        path = path_between(ds, "kobe", "org:niro", "org:fbri")
        assert path[0] == "org:niro" and path[-1] == "org:fbri"
        # the path and the selection are classes set in the browser, styled by the one stylesheet
        selectors = {r["selector"] for r in base_stylesheet()}
        assert {"node.path", "edge.path", "node.focus", "node.faded", "edge.faded"} <= selectors


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> DataSource:
    """A synthetic region of 3,000 organisations: over the element cap, so it is aggregated."""
    path = tmp_path_factory.mktemp("big") / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(synthetic_region_batch(3000, key="big"))
    return DataSource(lambda: EmbeddedStore(path))


class TestAggregation:
    def test_large_region_is_aggregated_by_role(self, big: DataSource) -> None:
        result = map_result(big, MapState(region="big"))
        assert result.aggregated
        assert result.total_elements > MAX_ELEMENTS
        assert len(result.elements) <= MAX_ELEMENTS
        assert result.layout["name"] == "preset"
        groups = {
            e["data"]["group"] for e in result.elements if e["data"].get("aggregate") and "source" not in e["data"]
        }
        assert {"Company", "SupportOrganization"} <= groups

    def test_drill_down_stays_under_the_cap(self, big: DataSource) -> None:
        result = map_result(big, MapState(region="big", group="Company"))
        assert not result.aggregated
        assert len(result.elements) <= MAX_ELEMENTS
        assert result.truncated  # 2,700 firms do not fit: the best-connected are shown, and it says so
        assert {e["data"]["kind"] for e in result.elements if "source" not in e["data"]} == {"Company"}

    def test_small_group_drill_down_is_complete(self, big: DataSource) -> None:
        result = map_result(big, MapState(region="big", group="University"))
        view = big.region_view("big")
        universities = [n for n, d in view.nodes(data=True) if "University" in d.get("labels", ())]
        assert not result.truncated and len(universities) == 90  # 3 % of 3,000 (seeds.synthetic_region)
        assert len([e for e in result.elements if "source" not in e["data"]]) == len(universities)

    def test_aggregate_by_community(self, big: DataSource) -> None:
        result = build_map(big.region_view("big"), MapState(region="big", agg="community"), big.measures("big"))
        assert result.aggregated and len(result.elements) <= MAX_ELEMENTS


# --- search and detail ------------------------------------------------------------------------
class TestSearchAndDetail:
    def test_normalise_search_folds_kana_and_width(self) -> None:
        assert normalise_search("こうべ") == normalise_search("ｺｳﾍﾞ") == "コウベ"

    def test_search_by_japanese_name_furigana_and_number(self, ds: DataSource) -> None:
        assert search_options(ds, "kobe", "神戸大学", "ja")[0]["value"] == "org:kobe-u"
        assert search_options(ds, "kobe", "こうべだいがく", "ja")[0]["value"] == "org:kobe-u"
        firm = next(n for n in ds.region_view("kobe") if n.startswith("org:9") or n[4:5].isdigit())
        number = firm.removeprefix("org:")
        assert search_options(ds, "kobe", number, "en")[0]["value"] == firm
        assert search_options(ds, "kobe", "Kobe University", "en")[0]["label"].startswith("Kobe University")

    def test_detail_panel_sections(self, ds: DataSource) -> None:
        text = str(detail_panel(ds, "kobe", "org:niro", "en"))
        for heading in ("Properties", "Evidence", "Neighbours", "Gaps involving it", "Suggestions"):
            assert heading in text
        assert "https://example.org/niro" in text

    def test_detail_of_unknown_node(self, ds: DataSource) -> None:
        assert "現在の表示にありません" in str(detail_panel(ds, "kobe", "org:nope", "ja"))

    def test_path_targets_once_per_region(self, ds: DataSource) -> None:
        """The "shortest path to…" menu is the region's best-tied nodes by name, and keeps a link's target."""
        options = path_target_options(ds, "kobe", "en")
        assert options and [o["label"] for o in options] == sorted(o["label"] for o in options)
        assert {o["value"] for o in options} <= set(ds.region_view("kobe"))
        assert path_target_options(ds, "kobe", "en") is options  # cached: built once per region
        outside = next(n for n in ds.graph()[0] if n not in {o["value"] for o in options})
        assert path_target_options(ds, "kobe", "en", keep=outside)[0]["value"] == outside


# --- data access, caching, failure ------------------------------------------------------------
class TestDataSource:
    def test_regions_from_region_nodes(self, ds: DataSource) -> None:
        assert [r["name"] for r in ds.regions()] == ["青森県", "石川県", "神戸市"]
        assert ds.compare_regions() == ["aomori", "ishikawa", "kobe"]

    def test_cache_follows_the_data_version(self, ds: DataSource, store_path: Path) -> None:
        _, before = ds.graph()
        view = ds.region_view("aomori")
        assert ds.region_view("aomori") is view  # served from the cache
        with EmbeddedStore(store_path) as store:
            store.write_batch(synthetic_region_batch(20, key="extra"))
        ds.refresh(force=True)
        _, after = ds.graph()
        assert after != before
        assert ds.region_view("aomori") is not view

    def test_unreachable_store_then_recovery(self, store_path: Path) -> None:
        state = {"up": False}

        def factory() -> EmbeddedStore:
            if not state["up"]:
                msg = "Neo4j at bolt://127.0.0.1:1 is not reachable"
                raise StoreUnavailable(msg)
            return EmbeddedStore(store_path)

        ds = DataSource(factory, retry=0.0)
        with pytest.raises(StoreUnavailable):
            ds.graph()
        banner, hidden, _, _ = shell_banners(ds, "en")
        assert not hidden and "cannot be reached" in str(banner)
        state["up"] = True
        banner, hidden, _, synthetic_hidden = shell_banners(ds, "en")
        assert hidden and not synthetic_hidden
        assert ds.regions()

    def test_compare_gaps_recommend_shapes(self, ds: DataSource) -> None:
        table = ds.compare()
        assert table["regions"] == ["aomori", "ishikawa", "kobe"]
        assert all(set(row["values"]) == set(table["regions"]) for row in table["indicators"])
        assert all(row["label"]["ja"] and row["label"]["en"] for row in table["indicators"])
        gaps = ds.gaps("aomori")
        assert gaps.region == "aomori" and gaps.gaps and gaps.completeness["organisations"] > 0
        for lang in ("ja", "en"):
            shown = str(gaps_page.completeness(gaps, lang))
            assert "%" in shown and "{'" not in shown and "tied_share" not in shown
            assert not re.search(r"0\.\d{4}", shown)  # no raw floats such as 0.9607843137254902
        rec = ds.recommend("org:kobe-u")
        # The sample's programmes have no operator or participant in Kobe, so none is in Kobe's view
        # (graph.scope) and none is suggested; partners are Kobe's own organisations, and only those
        # with a reason of fit or a near path through no hub: none here, and the empty list says why.
        assert rec.region == "kobe" and rec.programmes == ()
        assert rec.partners or "hub" in empty_reason(rec.empty["partners"].code, "en")
        assert all(p.place is not None and place_text(p.place, "ja") == "神戸市" for p in rec.partners)


# --- app ----------------------------------------------------------------------------------------
def test_basic_auth(store_path: Path) -> None:
    app = create_app(lambda: EmbeddedStore(store_path), auth="alice:s3cret")
    client = app.server.test_client()
    assert client.get("/").status_code == 401
    wrong = base64.b64encode(b"alice:nope").decode()
    assert client.get("/", headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    good = base64.b64encode(b"alice:s3cret").decode()
    assert client.get("/", headers={"Authorization": f"Basic {good}"}).status_code == 200


def test_binding_beyond_loopback_warns() -> None:
    assert bind_warning("127.0.0.1", 8050, auth=False) is None
    warning = bind_warning("0.0.0.0", 8050, auth=False)
    assert warning and "WITHOUT a login" in warning and "IPECO_AUTH" in warning
    assert "with basic auth" in (bind_warning("0.0.0.0", 8050, auth=True) or "")


def test_structured_indicator_values_are_flattened() -> None:
    rows = [
        {
            "key": "phase_coverage",
            "label": {"ja": "段階別カバー率", "en": "Phase coverage"},
            "definition": {"ja": "", "en": ""},
            "values": {"kobe": {"launch": 0.2, "ideation": 0.5}, "aomori": {"launch": 0.1, "ideation": 0.4}},
        },
        {
            "key": "triple_helix",
            "label": {"ja": "T", "en": "T"},
            "definition": {"ja": "", "en": ""},
            "values": {"kobe": {"t_bits": 0.02, "ci95": [0, 1]}, "aomori": {"t_bits": 0.06, "ci95": [0, 1]}},
        },
        {
            "key": "top_brokers",
            "label": {"ja": "仲介", "en": "Brokers"},
            "definition": {"ja": "", "en": ""},
            "values": {"kobe": [{"id": "org:a", "name": "A"}, {"id": "org:b", "name": "B"}], "aomori": []},
        },
    ]
    flat = flatten_indicators(rows)
    assert [r["key"] for r in flat] == [
        "phase_coverage.ideation",
        "phase_coverage.launch",
        "triple_helix",
        "top_brokers",
    ]
    assert flat[0]["label"]["ja"] == "段階別カバー率: 事業構想"
    assert flat[2]["values"] == {"kobe": 0.02, "aomori": 0.06}
    assert flat[3]["values"]["kobe"] == "A、B"


def test_the_search_label_promises_only_what_the_data_holds() -> None:
    import networkx as nx

    from webapp.pages.map import search_label

    view = nx.MultiDiGraph()
    view.add_node("org:a", labels=["Organization", "Company"], name="A社")
    assert search_label(view, "ja") == "検索（名称）" and search_label(view, "en") == "Search (name)"
    view.add_node("org:b", labels=["Organization", "Company"], name="B社", corporate_number="1234567890123")
    assert search_label(view, "ja") == "検索（名称・法人番号）"
    assert search_label(view, "en") == "Search (name, corporate number)"

# ruff: noqa: N803, N806  (G, H: graph names as in the literature)
"""The gap worklist (analytics.worklist, reports.worklist): merging, priority, sizes, words, sheet, table.

Known answers on the hand-built region of ``test_analytics_gaps`` (19 findings), then the real Kobe
layer through the analysis service (what ``ipeco seed`` loads).
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

from analytics.gaps import find_gaps
from analytics.measures import region_view
from analytics.orggraph import organisation_graph
from analytics.phases import PhaseIndex
from analytics.service import AnalysisService
from analytics.worklist import PRIORITY_WEIGHTS, SME_LIMITS, Worklist, build_worklist, firm_size, industry_class
from graph.embedded import EmbeddedStore
from reports.worklist import next_step_text, reason_text, size_text, worklist_rows, worklist_table, write_worklist_xlsx
from seeds import real_seed_batch
from tests.cli_support import CliResult, ipeco
from tests.conftest import seeded_store_file
from tests.test_analytics_gaps import region


def worklist_of(G: nx.MultiDiGraph) -> Worklist:
    view = region_view(G, "r")
    H = organisation_graph(view)
    index = PhaseIndex(view)
    return build_worklist(view, H, index, find_gaps(view, "r", H=H, index=index)["gaps"], region="r")


@pytest.fixture(scope="module")
def worklist() -> Worklist:
    return worklist_of(region())


class TestMerging:
    def test_one_card_per_lead_subject(self, worklist: Worklist) -> None:
        assert [i.key for i in worklist.items] == [
            "U",
            "F2",
            "role:jetro",
            "role:patent_attorney",
            "Y",
            "F6",
            "role:ip_finance_bank",
            "role:research_partner",
            "F4",
            "F1",
        ]
        assert sum(len(i.findings) for i in worklist.items) == 19  # every finding kept, on its card

    def test_isolation_and_its_uncovered_phases_are_one_cause(self, worklist: Worklist) -> None:
        f2 = next(i for i in worklist.items if i.key == "F2")
        assert f2.kinds == ("phase_coverage", "isolated", "unmet_match")
        assert (f2.reason, f2.next_step) == ("no_tie", "visit_refer")
        # F2 has no tie and no IP: its first stop is the region's よろず支援拠点 (analytics.nextstep), not
        # the IP window, which is for a firm with rights to use.
        assert f2.facts["referral"] == {"ja": "よろずY", "en": "よろずY"} and f2.facts["why"] == "first_stop"
        assert f2.facts["partner"]["ja"] == "大学U"
        assert f2.subjects == ("F2", "U")

    def test_a_firm_without_support_body_but_with_collaborations(self, worklist: Worklist) -> None:
        f6 = next(i for i in worklist.items if i.key == "F6")
        assert (f6.reason, f6.next_step) == ("no_support_body", "refer")

    def test_a_cut_vertex_and_its_bridge_are_one_card(self, worklist: Worklist) -> None:
        f4 = next(i for i in worklist.items if i.key == "F4")
        assert f4.kinds == ("fragile_bridge", "phase_coverage")
        assert f4.reason == "bridge_node" and f4.facts["cut_off"] == 2 and f4.facts["rest"] == 4
        assert [f["kind"] for f in f4.findings] == ["fragile_bridge", "fragile_bridge", "phase_coverage"]

    def test_region_level_cards(self, worklist: Worklist) -> None:
        jetro = next(i for i in worklist.items if i.key == "role:jetro")
        assert (jetro.section, jetro.reason, jetro.phases, jetro.subjects) == (
            "network",
            "missing_role_absent",
            ("expansion",),
            (),
        )
        bank = next(i for i in worklist.items if i.key == "role:ip_finance_bank")
        assert bank.reason == "missing_role_untied" and bank.subjects == ("B",)


class TestPriority:
    def test_weights_add_up_to_one(self) -> None:
        assert sum(PRIORITY_WEIGHTS.values()) == pytest.approx(1.0)

    def test_known_priorities(self, worklist: Worklist) -> None:
        by_key = {i.key: i for i in worklist.items}
        # F2: severity 1.0, unknown size 0.5, no tie (need 1.0), all phases, referral Y of degree 1 of 3,
        # no related organisation, no IP, no profile, demo data 0.5.
        assert by_key["F2"].priority == pytest.approx(0.2 + 0.2 * 0.5 + 0.15 + 0.05 + 0.1 / 3 + 0.025, abs=1e-4)
        # Y: liaison 0.9, network 0.8, need 0.6/(1+1) + 0 (its tie is of the latest year), no phase (all),
        # its own degree 1 of 3, its own page.
        assert by_key["Y"].priority == pytest.approx(
            0.2 * 0.9 + 0.2 * 0.8 + 0.15 * 0.3 + 0.05 + 0.1 / 3 + 0.05, abs=1e-4
        )
        # F4: the highest of its findings' scores (0.6 phase coverage over 0.5909 bridge).
        assert {p.key: p.value for p in by_key["F4"].parts}["severity"] == 0.6

    def test_ranked_by_priority_then_key(self, worklist: Worklist) -> None:
        assert [i.rank for i in worklist.items] == list(range(1, len(worklist.items) + 1))
        keys = [(-i.priority, i.key) for i in worklist.items]
        assert keys == sorted(keys)

    def test_each_part_is_shown_with_its_weight(self, worklist: Worklist) -> None:
        item = worklist.items[0]
        assert [p.key for p in item.parts] == list(PRIORITY_WEIGHTS)
        assert sum(p.contribution for p in item.parts) == pytest.approx(item.priority, abs=1e-4)


class TestSize:
    @pytest.mark.parametrize(
        ("attrs", "expected"),
        [
            ({}, "unknown"),
            ({"startup": True, "employees": 5000}, "large"),  # a startup flag does not make a large firm small
            ({"startup": True, "employees": 50}, "startup"),
            ({"listed": True, "employees": 50}, "large"),  # a listed firm is not an SME
            ({"jsic": "I55", "employees": 101, "capital": 100_000_001}, "large"),  # JSIC 中分類 55: wholesale
            ({"jsic": "I58", "employees": 51}, "large"),  # 58: retail
            ({"jsic": "G39", "employees": 250}, "sme"),  # software: manufacturing limits
            ({"employees": 300}, "sme"),
            ({"employees": 301}, "large"),
            ({"employees": 500, "capital": 300_000_000}, "sme"),  # capital within the limit suffices
            ({"employees": 500, "capital": 300_000_001}, "large"),
            ({"industry": "卸売業", "employees": 101, "capital": 100_000_001}, "large"),
            ({"industry": "wholesale of machinery", "employees": 100}, "sme"),
            ({"industry": "hotel", "employees": 101, "capital": 50_000_000}, "sme"),
            ({"industry": "hotel", "employees": 101}, "large"),
            ({"industry": "outdoor goods retail", "employees": 51}, "large"),
            ({"industry": "小売業", "employees": 50}, "sme"),
        ],
    )
    def test_sme_act_limits(self, attrs: dict, expected: str) -> None:
        assert firm_size(attrs) == expected

    def test_industry_classes(self) -> None:
        assert set(SME_LIMITS) == {"manufacturing", "wholesale", "services", "retail"}
        assert industry_class(None) == "manufacturing"
        assert industry_class("steel, aluminium, machinery") == "manufacturing"

    def test_a_large_firm_leaves_the_targets(self) -> None:
        G = region()
        G.nodes["F6"]["employees"] = 1000
        worklist = worklist_of(G)
        f6 = next(i for i in worklist.items if i.key == "F6")
        assert (f6.section, f6.size, f6.next_step) == ("large", "large", "large")
        assert "F6" not in {i.key for i in worklist.filtered(sections=["target"])}
        assert size_text(f6, "ja") == "大企業（従業員 1,000 人）"
        assert size_text(f6, "en") == "Large enterprise (1,000 employees)"


class TestFilters:
    def test_kind_phase_programme_section(self, worklist: Worklist) -> None:
        assert [i.key for i in worklist.filtered(kinds=["liaison"])] == ["Y"]
        assert "role:jetro" not in {i.key for i in worklist.filtered(phases=["ideation"])}
        assert {i.key for i in worklist.filtered(programmes=["programme:overseas_filing"])} >= {"F1", "role:jetro"}
        assert "role:patent_attorney" not in {
            i.key for i in worklist.filtered(programmes=["programme:overseas_filing"])
        }
        assert {i.section for i in worklist.filtered(sections=["network"])} == {"network"}
        assert worklist.filtered() == worklist.items


class TestWords:
    @pytest.mark.parametrize("lang", ["ja", "en"])
    def test_every_card_reads_as_a_sentence(self, worklist: Worklist, lang: str) -> None:
        for item in worklist.items:
            for text in (reason_text(item, lang), next_step_text(item, lang)):
                assert text and "{" not in text and "None " not in text.replace("None of", "") and "[" not in text

    def test_known_sentences(self, worklist: Worklist) -> None:
        f1 = next(i for i in worklist.items if i.key == "F1")
        assert reason_text(f1, "ja") == "つながっている支援機関のどれも「事業拡大」を支援していません。"
        assert reason_text(f1, "en") == "None of the support bodies it is tied to serves the expansion phase."
        # F1 lacks only expansion: the IP window is named for the phase it serves, not as a first IP contact.
        assert (
            next_step_text(f1, "en")
            == "Consider a referral to 窓口W: nothing supports its expansion phase, which 窓口W serves."
        )
        bank = next(i for i in worklist.items if i.key == "role:ip_finance_bank")
        assert reason_text(bank, "en") == (
            "銀行B is recorded, but without a tie to the region's organisations as a bank in IP finance (知財金融) "
            "(ideation phase)."
        )


class TestSheet:
    def test_rows_status_and_validation(self, worklist: Worklist, tmp_path: Path) -> None:
        out = tmp_path / "w.xlsx"
        write_worklist_xlsx(worklist, out, "ja")
        sheet = load_workbook(out).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == tuple(worklist_rows([], "ja")[0])
        assert [r[0] for r in rows[1:]] == [i.rank for i in worklist.items]
        assert [r[-1] for r in rows[1:]] == [None] * len(worklist.items)
        (validation,) = sheet.data_validations.dataValidation
        assert validation.formula1 == '"未着手,対応中,完了,対象外"'
        assert str(validation.sqref) == f"J2:J{len(rows)}"

    def test_a_name_that_looks_like_a_formula_stays_text(self, tmp_path: Path) -> None:
        G = region()
        G.nodes["F2"]["name"] = '=HYPERLINK("http://x","y")'
        out = tmp_path / "w.xlsx"
        write_worklist_xlsx(worklist_of(G), out, "en")
        names = [r[2] for r in load_workbook(out).active.iter_rows(min_row=2, values_only=True)]
        assert any(str(n).endswith('HYPERLINK("http://x","y")') and not str(n).startswith("=") for n in names)


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("width", [50, 80, 120])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_table_fits_the_terminal(worklist: Worklist, width: int, lang: str) -> None:
    table = worklist_table(worklist.items, lang, width)
    assert max(_columns(line) for line in table.splitlines()) <= width
    assert reason_text(worklist.items[0], lang)[:4] in table.replace("\n", "").replace(" ", "") or lang == "en"


@pytest.fixture(scope="module")
def kobe(tmp_path_factory: pytest.TempPathFactory) -> Worklist:
    path = seeded_store_file(tmp_path_factory, "worklist", demo=False)
    return AnalysisService(EmbeddedStore(path)).worklist("kobe")


def test_kobe_large_enterprises_are_not_targets(kobe: Worklist) -> None:
    by_name = {i.name["ja"]: i for i in kobe.items}
    for name in ("株式会社アシックス", "川崎重工業株式会社", "株式会社神戸製鋼所", "シスメックス株式会社"):
        assert by_name[name].section == "large" and by_name[name].size == "large", name
        assert by_name[name].size_facts["size_evidence"].startswith("https://")
    targets = kobe.filtered(sections=["target"])
    assert targets and all(i.size != "large" for i in targets)
    isolated = [i for i in targets if "isolated" in i.kinds]
    assert isolated and all(i.size in ("sme", "startup", "unknown", None) for i in isolated)


def test_kobe_has_one_card_per_organisation(kobe: Worklist) -> None:
    keys = [i.key for i in kobe.items]
    assert len(keys) == len(set(keys))
    assert len(kobe.items) < sum(len(i.findings) for i in kobe.items)  # findings were merged


# --- the CLI ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An embedded store seeded by ``ipeco seed`` (the real layer), in its own IPECO_HOME."""
    home = tmp_path_factory.mktemp("cli-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IPECO_", "NEO4J_"))}
    env.update(IPECO_HOME=str(home), IPECO_STORE="embedded", COLUMNS="80")
    run_cli(env, "seed")
    return env


def run_cli(env: dict[str, str], *args: str, code: int = 0) -> CliResult:
    result = ipeco(*args, env=env)
    assert result.returncode == code, f"ipeco {' '.join(args)}: {result.stdout}\n{result.stderr}"
    return result


def test_cli_prints_a_table_that_fits(cli_home: dict[str, str]) -> None:
    out = run_cli(cli_home, "gaps", "--region", "kobe", "--top", "5").stdout
    lines = out.splitlines()
    assert lines[0].startswith("■ 支援対象") and lines[1].startswith("順位") and "次の一手" in lines[1]
    assert max(_columns(line) for line in lines if "|" in line) <= 80
    assert "{'" not in out and "None" not in out
    # one table per section, each numbered from 1; Kobe's large firms only under their own heading
    headings = [line for line in lines if line.startswith("■")]
    assert len(headings) == 3 and "大企業" in headings[-1]
    large = out.split(headings[-1])[1]
    assert "シスメックス" in large and "シスメックス" not in out.split(headings[-1])[0]
    ranks = [cell for line in lines if "|" in line and (cell := line.split("|")[0].strip()).isdigit()]
    assert ranks == ["1", "2", "3", "4", "5"] * 3  # --top 5 in each section, each numbered from 1
    en = run_cli(cli_home, "gaps", "--region", "kobe", "--top", "3", "--lang", "en").stdout
    assert en.splitlines()[1].startswith("Rank") and "Next step" in en


def test_cli_json_and_xlsx(cli_home: dict[str, str], tmp_path: Path) -> None:
    doc = json.loads(run_cli(cli_home, "gaps", "--region", "kobe", "--json").stdout)
    keys = [i["key"] for i in doc["items"]]
    assert len(keys) == len(set(keys)) and doc["gaps"] and set(doc["counts"]) == {"target", "network", "large"}
    out = tmp_path / "worklist.xlsx"
    run_cli(cli_home, "gaps", "--region", "kobe", "-o", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [i["rank"] for i in doc["items"]]
    bad = run_cli(cli_home, "gaps", "--region", "kobe", "-o", str(tmp_path / "worklist.pdf"), code=2)
    assert "xlsx" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "worklist.pdf").exists()


def test_the_page_ignores_an_unknown_kind_in_its_address(tmp_path: Path) -> None:
    """``/gaps?kind=bogus`` (a hand-edited link): the page renders its cards; the notice names the value."""
    from webapp.data import DataSource
    from webapp.pages import gaps as gaps_page

    path = tmp_path / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(real_seed_batch())
    page = str(
        gaps_page.layout(DataSource(lambda: EmbeddedStore(path)), region="kobe", kind="bogus,isolated", lang="en")
    )
    assert "bogus" not in page
    assert "value=['isolated']" in page  # the known kind stays chosen; the cards follow by callback


def test_an_organisation_that_is_gone_gets_no_card() -> None:
    """A firm merged into another (SUCCEEDED_BY) is no one to visit: its findings make no card."""
    view = nx.MultiDiGraph(region="region:r")
    view.add_node("region:r", labels=["Region"], name="R")
    for org, role in (("org:gone", "Company"), ("org:heir", "Company"), ("org:alone", "Company")):
        view.add_node(org, labels=["Organization", role], name=org, in_region=True)
        view.add_edge(org, "region:r", type="LOCATED_IN")
    view.add_edge("org:gone", "org:heir", type="SUCCEEDED_BY", date="2021-06-01")
    H = organisation_graph(view)
    gaps = find_gaps(view, "r")["gaps"]
    assert {g["subjects"][0] for g in gaps} >= {"org:gone", "org:alone"}  # both are found isolated
    cards = build_worklist(view, H, PhaseIndex(view), gaps, region="r").items
    keys = [c.key for c in cards]
    assert "org:alone" in keys and "org:gone" not in keys

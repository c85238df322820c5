"""Name matching never crosses roles, and roles come from the kind, the number and real names (issue 13).

The look-alikes are the two that overwrote seeded public bodies: 神戸市公立大学法人 (runs the city's
universities) normalises to 神戸市 and 石川県公立大学法人 to 石川県 once the legal form is removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import Store
from loaders.base import LoadContext, LoadOptions, LoadResult
from loaders.houjin import read_houjin
from loaders.jplatpat import normalise_name, read_jplatpat
from loaders.roles import SCHOOL_CORPORATIONS, classify_name, classify_role, roles_compatible
from tests.conftest import FIXTURES

LOOKALIKES = FIXTURES / "houjin" / "28_17_lookalikes_and_roles.csv"
JPP_LIST = FIXTURES / "jplatpat" / "list_2_selected_columns.csv"
KOBE_UNIV_CORP, ISHIKAWA_UNIV_CORP = "org:9314005011111", "org:3322005011111"


def read(paths: list[Path], context: LoadContext | None = None, **options: object) -> LoadResult:
    return read_houjin(paths, LoadOptions(**options), context or LoadContext())  # type: ignore[arg-type]


class TestRoles:
    @pytest.mark.parametrize(
        ("kind", "name", "number", "label"),
        [
            ("101", "国立国会図書館", "1000011000005", "GovernmentBody"),
            ("201", "神戸市", "9000020281000", "GovernmentBody"),
            ("399", "仙台市", "8000020041009", "GovernmentBody"),  # the number range says it
            ("301", "株式会社アシックス", "", "Company"),
            ("302", "有限会社八戸水産加工", "", "Company"),
            ("305", "合同会社よろず屋", "", "Company"),
            ("399", "弁理士法人神戸テスト国際特許事務所", "", "ProfessionalBody"),
            ("399", "ミナトテスト弁理士法人", "", "ProfessionalBody"),
            ("399", "神戸市公立大学法人", "", "University"),
            ("399", "石川県公立大学法人", "", "University"),
            ("399", "学校法人甲南学園", "", "University"),  # curated: runs 甲南大学
            ("399", "学校法人青森山田学園", "", "University"),  # curated: runs 青森大学
            ("399", "学校法人ひまわりテスト学園", "", None),  # a kindergarten's corporation
            ("399", "学校法人テスト調理製菓専門学校", "", None),  # a vocational school
            ("399", "金沢大学生活協同組合", "", None),  # a co-op, not the university
            ("399", "大学共同利用機関法人自然科学研究機構", "", "ResearchInstitute"),
            ("399", "テスト銀行健康保険組合", "", None),
            ("399", "テスト銀行企業年金基金", "", None),
            ("399", "宗教法人テスト神社", "", None),
            ("399", "テスト八幡宮", "", None),
            ("399", "医療法人社団テスト会", "", None),
            ("399", "社会福祉法人テスト福祉会", "", None),
            ("399", "特定非営利活動法人テスト子育て支援センター", "", None),  # 支援センター without business
            ("399", "公益財団法人21あおもり産業総合支援センター", "", "SupportOrganization"),
            ("399", "ひろさきビジネス支援センター", "", "SupportOrganization"),
            ("399", "公益財団法人ひょうご産業活性化センター", "", "SupportOrganization"),
            ("301", "株式会社青森銀行", "", "FinancialInstitution"),
        ],
    )
    def test_rule_table(self, kind: str, name: str, number: str, label: str | None) -> None:
        assert classify_role(kind, name, number) == label

    def test_names_alone(self) -> None:
        assert classify_name("神戸市") == "GovernmentBody" and classify_name("青森県") == "GovernmentBody"
        assert classify_name("神戸市公立大学法人") == "University"
        assert classify_name("株式会社神戸製鋼所") == "Company"
        assert classify_name("仙台市", "8000020041009") == "GovernmentBody"

    def test_every_curated_school_corporation_has_its_source(self) -> None:
        for school in SCHOOL_CORPORATIONS:
            assert school.name.startswith("学校法人") and "大学" not in school.name
            assert school.source.startswith("http") and school.seen and school.runs

    def test_roles_never_cross(self) -> None:
        assert not roles_compatible("University", "GovernmentBody")
        assert not roles_compatible(None, "GovernmentBody")
        assert roles_compatible(None, "SupportOrganization") and roles_compatible("Company", "Company")

    def test_the_fixture_by_role(self) -> None:
        result = read([LOOKALIKES])
        assert result.report["by_role"] == {
            "Company": 1,
            "GovernmentBody": 1,
            "ProfessionalBody": 2,
            "University": 3,
        }
        assert result.report["unclassified"]["left_out"] == 8
        assert result.report["unclassified"]["by_legal_form"] == {
            "学校法人": 2,
            "健康保険組合": 1,
            "年金基金": 1,
            "宗教法人": 1,
            "医療法人": 1,
            "社会福祉法人": 1,
            "特定非営利活動法人": 1,
        }
        kept = read([LOOKALIKES], include_unclassified=True)
        assert kept.report["unclassified"] == {**kept.report["unclassified"], "left_out": 0, "kept": 8}


class TestNormaliser:
    def test_legal_forms_only_at_the_ends(self) -> None:
        assert normalise_name("国立大学法人神戸大学") == normalise_name("神戸大学")
        assert normalise_name("神戸大学国立大学法人") == "神戸大学"
        assert normalise_name("テスト株式会社工業") == "テスト株式会社工業"  # in the middle: part of the name
        assert normalise_name("神戸市公立大学法人") == "神戸市"  # hence the role check


# --- through both stores -----------------------------------------------------------------------


def seeded(store: Store) -> None:
    import seeds

    store.write_batch(seeds.real_seed_batch())


def test_lookalikes_never_take_over_seeded_public_bodies(store: Store) -> None:
    seeded(store)
    before = store.read_graph()
    for region in ("kobe", "ishikawa"):
        result = read([LOOKALIKES], LoadContext.from_graph(store.read_graph()), region=region)
        store.write_batch(result.batch)
        refused = {e["corporate_number"]: e for e in result.report["name_matches_refused_by_role"]}
        if region == "kobe":
            assert refused["9314005011111"]["not"] == ["org:kobe-city"]
            assert refused["9314005011111"]["role"] == "University"
            adopted = [w for w in result.warnings if w.startswith("adopted by name:")]
            assert adopted == [
                "adopted by name: 神戸市 (9000020281000) is the stored org:kobe-city (神戸市); "
                "it takes the number, keeps its name and role"
            ]
        else:
            assert refused["3322005011111"]["not"] == ["org:ishikawa-pref"]
            assert result.report["matched_by_name"]["count"] == 0
    graph = store.read_graph()
    city, pref = graph.nodes["org:kobe-city"], graph.nodes["org:ishikawa-pref"]
    assert city["corporate_number"] == "9000020281000"  # its own row, not the university's number
    assert city["address"] == "兵庫県神戸市中央区加納町６丁目５－１"
    assert (city["name"], city["labels"]) == ("神戸市", ["Organization", "GovernmentBody"])
    assert pref == before.nodes["org:ishikawa-pref"]  # untouched
    for org_id, name in ((KOBE_UNIV_CORP, "神戸市公立大学法人"), (ISHIKAWA_UNIV_CORP, "石川県公立大学法人")):
        assert graph.nodes[org_id]["name"] == name
        assert graph.nodes[org_id]["labels"] == ["Organization", "University"]
    assert all(graph.nodes[n]["labels"] == before.nodes[n]["labels"] for n in before.nodes)
    assert all(graph.nodes[n].get("name") == before.nodes[n].get("name") for n in before.nodes)


def test_jplatpat_applicants_never_resolve_across_roles(store: Store, tmp_path: Path) -> None:
    seeded(store)
    header = JPP_LIST.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "出願人/権利者,文献番号,FI,発明の名称,出願日"
    rows = [
        '"神戸市公立大学法人,株式会社神戸製鋼所",特開2024-000001,"C22C38/00",高強度鋼板,2022/04/01',
        '"神戸市,株式会社神戸製鋼所",特開2024-000002,"C22C38/00",鋼材の製造方法,2022/05/01',
    ]
    path = tmp_path / "kobe_list.csv"
    path.write_text("\ufeff" + "\n".join([header, *rows]) + "\n", encoding="utf-8")
    context = LoadContext.from_graph(store.read_graph())
    result = read_jplatpat([path], LoadOptions(region="kobe"), context)
    store.write_batch(result.batch)
    assert [e["applicant"] for e in result.report["unresolved"]] == ["神戸市公立大学法人"]
    assert result.report["name_matches_refused_by_role"] == 1
    pairs = {(r.source, r.target) for r in result.batch.relationships if r.type == "COLLABORATES_WITH"}
    assert pairs == {("org:kobe-city", "org:kobe-steel")}  # only 神戸市 itself co-applied
    graph = store.read_graph()
    assert graph.nodes["org:kobe-city"]["name"] == "神戸市"

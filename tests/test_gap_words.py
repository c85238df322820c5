"""Gap explanations are codes and values; ``graph.words.gaps.explain`` says them in ja and en (issue 24).

Known answers for every code on tiny values (the sentences the analytics wrote before they returned
codes), the names of the support kinds and expected roles, and the name list on open-ended input.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from analytics.gaps import EXPECTED_ROLES, LIAISON_PAIRS, SUPPORT_KINDS, find_gaps
from analytics.results import Explanation
from graph.words import STRINGS
from graph.words.gaps import expected_role_name, explain, name_list, support_kind_name


def test_every_kind_and_role_has_a_name_in_both_languages() -> None:
    for kind in SUPPORT_KINDS:
        assert f"gapexp.body.{kind}" in STRINGS and support_kind_name(kind, "ja") != kind
    for key, *_ in EXPECTED_ROLES:
        assert expected_role_name(key, "ja") != key and expected_role_name(key, "en") != key
    for a, b, *_ in LIAISON_PAIRS:
        assert f"gapexp.why.{a}.{b}" in STRINGS
    assert support_kind_name("unknown_kind", "en") == "unknown_kind"  # a code outside the table stays a code


def test_unmet_match_in_both_languages() -> None:
    why = {"code": "unmet_match", "values": {"firm": "企業F", "partner": "大学U", "fields": ["A23L", "G06N"]}}
    assert explain(why, "ja") == (
        "企業F と 大学U は技術分野（A23L, G06N）が重なりますが、つながりがありません。"
        "事業立上のマッチング候補として引き合わせを検討してください。"
    )
    assert explain(why, "en") == (
        "企業F and 大学U share technology fields (A23L, G06N) but have no tie: a candidate for launch-phase matching."
    )


def test_missing_role_with_a_phase_and_several_bodies() -> None:
    values = {"role": "jetro", "phase": "expansion", "names": ["A", "B", "C"], "more": 2}
    why = Explanation("missing_role.untied_many", values)
    assert explain(why, "ja").startswith("A、B、C ほか2 は記録されていますが、ジェトロ (JETRO)（事業拡大）としての")
    assert explain(why, "en").startswith("A, B, C and 2 more are recorded, but no tie to the region's organisations")
    assert "as JETRO office (expansion phase) is: consider bringing them" in explain(why, "en")


def test_ip_finding_uses_the_english_name_where_there_is_one() -> None:
    values = {"name": "伍魚福", "name_en": "Gogyofuku", "body": "窓口", "body_en": "IP window"}
    values |= {"rights": 2, "awards": 1}
    why = {"code": "ip_no_support", "values": values}
    assert explain(why, "en") == (
        "Gogyofuku holds 2 right(s) and won 1 IP award(s) but no IP support body reaches it. Consider IP window."
    )
    assert explain(why, "ja").endswith("知財支援機関とのつながりがありません。窓口 への相談を検討してください。")
    alone = {"code": "ip_award_no_partner", "values": {"name": "伍魚福", "name_en": "", "body": None}}
    assert explain(alone, "en") == (
        "伍魚福 won an IP award but has no recorded tie to a university or public research institute."
    )


def test_find_gaps_returns_codes_not_sentences() -> None:
    g = nx.MultiDiGraph()
    g.add_node("region:r", labels=["Region"], name="R")
    g.add_node("F", labels=["Organization", "Company"], name="企業F")
    g.add_edge("F", "region:r", type="LOCATED_IN")
    gaps = find_gaps(g, "r")["gaps"]
    assert gaps
    for gap in gaps:
        assert set(gap["explanation"]) == {"code", "values"}
        assert f"gapexp.{gap['explanation']['code']}" in STRINGS
        assert explain(gap["explanation"], "ja") and explain(gap["explanation"], "en")


@given(st.lists(st.text(min_size=1, max_size=5), max_size=4), st.integers(min_value=0, max_value=50))
def test_name_list_shows_every_name_and_the_rest(names: list[str], more: int) -> None:
    for lang, sep in (("ja", "、"), ("en", ", ")):
        text = name_list(names, more, lang)
        assert text.startswith(sep.join(names))
        assert (str(more) in text.removeprefix(sep.join(names))) == (more > 0)

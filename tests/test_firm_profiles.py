"""Firm profiles and programme eligibility in the real layer are sourced and valid (issue 20).

The advice engine reasons on a firm's industry and size and on who a programme is for, so these
values must be real codes, each with the page behind it, and they must not thin out silently. The
figures are counted from the seed through ``bench.profile_coverage``, the same code that prints the
coverage table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.profile_coverage import (
    SME_LIMITS,
    above_thresholds,
    coverage,
    real_firms,
    sector,
    total,
)
from graph.schema import PROGRAMME_TARGET_GROUPS
from seeds import REAL_SEED_DIR, real_seed_batch

#: JSIC (令和5年改定) 大分類 letters and the 中分類 numbers under each.
JSIC_MAJORS: dict[str, range] = {
    "A": range(1, 3),
    "B": range(3, 5),
    "C": range(5, 6),
    "D": range(6, 9),
    "E": range(9, 33),
    "F": range(33, 37),
    "G": range(37, 42),
    "H": range(42, 50),
    "I": range(50, 62),
    "J": range(62, 68),
    "K": range(68, 71),
    "L": range(71, 75),
    "M": range(75, 78),
    "N": range(78, 81),
    "O": range(81, 83),
    "P": range(83, 86),
    "Q": range(86, 88),
    "R": range(88, 97),
    "S": range(97, 99),
    "T": range(99, 100),
}

#: Issue 20's targets. Industry is met; size is not yet (after two passes over the stored pages, a
#: headcount or capital is stated for about one firm in four: 42 of 157), so the size check is a floor
#: that keeps the figure from falling while the gap stays visible in the coverage table and the README.
INDUSTRY_TARGET = 0.90
SIZE_TARGET = 0.70
SIZE_FLOOR = 0.19  # 42 of 215 after the IP layer added 58 holders (mostly cooperatives, no stated size)

_URL = re.compile(r"^https?://\S+$")
_SOURCE_LINE = re.compile(r"^- (?P<url>https?://\S+) — (?P<date>[^—]+) — ")


def valid_jsic(code: str) -> bool:
    """A 大分類 letter, optionally followed by two 中分類 digits that belong to it."""
    match = re.fullmatch(r"([A-T])(\d{2})?", code)
    if match is None:
        return False
    return match.group(2) is None or int(match.group(2)) in JSIC_MAJORS[match.group(1)]


def urls(value: Any) -> list[str]:
    return str(value or "").split()


@pytest.fixture(scope="module")
def firms() -> dict[str, list[Mapping[str, Any]]]:
    return real_firms(real_seed_batch().nodes)


@pytest.fixture(scope="module")
def dated_pages() -> set[str]:
    """Every page a region's SOURCES.md lists with a date that starts with a year."""
    dated: set[str] = set()
    for sources in Path(REAL_SEED_DIR).glob("*/SOURCES.md"):
        for line in sources.read_text(encoding="utf-8").splitlines():
            match = _SOURCE_LINE.match(line)
            if match and re.match(r"\d{4}", match.group("date").strip()):
                dated.add(match.group("url"))
    return dated


def test_jsic_codes_are_valid() -> None:
    assert valid_jsic("E09") and valid_jsic("G") and valid_jsic("I55")
    assert not valid_jsic("E05") and not valid_jsic("Z") and not valid_jsic("e09") and not valid_jsic("E9")


def test_every_filled_jsic_is_a_valid_code(firms: dict[str, list[Mapping[str, Any]]]) -> None:
    bad = [
        (p["name"], p["jsic"]) for props in firms.values() for p in props if p.get("jsic") and not valid_jsic(p["jsic"])
    ]
    assert bad == []


def test_every_profile_value_names_its_page(firms: dict[str, list[Mapping[str, Any]]]) -> None:
    missing = []
    for props in firms.values():
        for p in props:
            profiled = p.get("jsic") or p.get("keywords") or p.get("listed") is not None
            if profiled and not (
                urls(p.get("profile_evidence")) and all(_URL.match(u) for u in urls(p.get("profile_evidence")))
            ):
                missing.append(p["name"])
    assert missing == []


def test_every_size_names_its_page_and_date(firms: dict[str, list[Mapping[str, Any]]], dated_pages: set[str]) -> None:
    missing = []
    for props in firms.values():
        for p in props:
            if p.get("employees") is None and p.get("capital") is None:
                continue
            pages = urls(p.get("size_evidence"))
            if not pages or not all(_URL.match(u) for u in pages):
                missing.append((p["name"], "no size_evidence"))
            elif not p.get("size_as_of") and not any(u in dated_pages for u in pages):
                missing.append((p["name"], "no size_as_of and no dated page"))
    assert missing == []


def test_industry_coverage_target_holds(firms: dict[str, list[Mapping[str, Any]]]) -> None:
    overall = total(coverage(firms))
    assert overall.firms >= 150
    assert overall.with_industry / overall.firms >= INDUSTRY_TARGET


def test_size_coverage_does_not_fall(firms: dict[str, list[Mapping[str, Any]]]) -> None:
    overall = total(coverage(firms))
    assert overall.with_size / overall.firms >= SIZE_FLOOR
    assert SIZE_FLOOR < SIZE_TARGET  # the target itself is reported, not yet met


def test_every_programme_states_who_it_is_for_and_where() -> None:
    catalogue_sources = (Path(REAL_SEED_DIR) / "catalogue" / "SOURCES.md").read_text(encoding="utf-8")
    programmes = [n for n in real_seed_batch().nodes if "Programme" in n.labels]
    assert len(programmes) >= 20
    for node in programmes:
        groups = node.props.get("target_groups") or []
        assert set(groups) <= set(PROGRAMME_TARGET_GROUPS), node.id
        if node.props.get("url"):
            assert _URL.match(node.props["url"]), node.id
        if groups:
            assert node.id in catalogue_sources or node.props.get("url", "") in catalogue_sources, node.id
    with_groups = sum(bool(n.props.get("target_groups")) for n in programmes)
    assert with_groups >= len(programmes) - 2
    assert {n.props.get("scope") for n in programmes} <= {"national", "kobe", None, ""}


@dataclass(frozen=True)
class _Origin:
    file: str


@dataclass(frozen=True)
class _Node:
    labels: tuple[str, ...]
    props: dict[str, Any]
    origin: _Origin | None


def test_coverage_counts_a_tiny_seed() -> None:
    kobe = "/x/seeds/real/kobe/nodes.csv"
    nodes = [
        _Node(("Organization", "Company"), {"name": "a", "jsic": "E09", "evidence": "https://a"}, _Origin(kobe)),
        _Node(
            ("Organization", "Company"),
            {"name": "b", "employees": 900, "capital": 10**9, "size_evidence": "https://b", "listed": True},
            _Origin(kobe),
        ),
        _Node(("Organization", "University"), {"name": "c", "jsic": "O81", "evidence": "https://c"}, _Origin(kobe)),
        _Node(("Organization", "Company"), {"name": "d"}, _Origin("/x/seeds/real/national/nodes.csv")),
    ]
    row = {r.region: r for r in coverage(real_firms(nodes))}["kobe"]
    assert (row.firms, row.with_industry, row.with_size, row.listed, row.above_thresholds) == (2, 1, 1, 1, 1)


def test_sectors_follow_the_sme_act() -> None:
    assert sector("E09") == sector(None) == sector("H43") == "manufacturing_and_others"
    assert sector("I52") == "wholesale" and sector("I58") == "retail" and sector("M76") == "retail"
    assert sector("G39") == sector("M75") == sector("K69") == "services"


@given(
    jsic=st.sampled_from(["E09", "I52", "I58", "G39", "", "D06"]),
    employees=st.one_of(st.none(), st.integers(min_value=0, max_value=100_000)),
    capital=st.one_of(st.none(), st.integers(min_value=0, max_value=10**12)),
)
def test_a_firm_within_either_limit_is_never_above(jsic: str, employees: int | None, capital: int | None) -> None:
    props = {"jsic": jsic, "employees": employees, "capital": capital}
    capital_limit, staff_limit = SME_LIMITS[sector(jsic)]
    within = (capital is not None and capital <= capital_limit) or (employees is not None and employees <= staff_limit)
    if within or (capital is None and employees is None):
        assert not above_thresholds(props)
    else:
        assert above_thresholds(props)

"""Hypothesis strategies for the property values a ``neo4j-admin`` CSV must carry.

Shared by the bulk CSV tests (the merging writer against the export, the by-column writer against
the merging one), so both hold their writers to the same values: quotes, commas, braces, line
breaks and formula-like text, 64-bit integers, floats and lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

_VALUES: tuple[st.SearchStrategy[Any], ...] = (
    st.text(max_size=8),
    st.sampled_from(['a "quoted", name', "{brace}", "line\nbreak", "=1+2"]),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(-5, 5), max_size=3),
    st.lists(st.text(max_size=3), max_size=3),
)


def property_maps(keys: Sequence[str], *extra: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Property maps over ``keys`` (at most four), their values the shared ones plus ``extra``."""
    return st.dictionaries(st.sampled_from(list(keys)), st.one_of(*_VALUES, *extra), max_size=4)


def graph_shapes(size: int, props: st.SearchStrategy[dict[str, Any]]) -> dict[str, st.SearchStrategy[Any]]:
    """``nodes`` (role, properties) and ``ties`` (source, target index, fiscal year, properties) for ``@given``."""
    return {
        "nodes": st.lists(
            st.tuples(st.sampled_from(["Company", "University", "Region"]), props), min_size=1, max_size=size
        ),
        "ties": st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, size - 1), st.sampled_from(["", "k1"]), props),
            max_size=size,
        ),
    }

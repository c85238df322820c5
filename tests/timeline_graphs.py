"""Tiny dated graphs in the store's shape (``labels`` on nodes, ``type`` on edges) for the time tests."""

from __future__ import annotations

from typing import Any

import networkx as nx

ROLE = {
    "Company": ("Organization", "Company"),
    "SupportOrganization": ("Organization", "SupportOrganization"),
    "University": ("Organization", "University"),
}


def graph(region: str = "r") -> nx.MultiDiGraph:
    """An empty graph holding one Region node ``region:<region>``."""
    g = nx.MultiDiGraph()
    g.add_node(f"region:{region}", labels=("Region",), name=region)
    return g


def org(g: nx.MultiDiGraph, node: str, role: str = "Company", region: str = "r", **props: Any) -> None:
    """An organisation seated in ``region`` (an undated placing tie, as on most pages)."""
    g.add_node(node, labels=ROLE[role], name=node.upper(), evidence=f"https://example.org/{node}", **props)
    g.add_edge(node, f"region:{region}", key="LOCATED_IN|", type="LOCATED_IN")


def tie(g: nx.MultiDiGraph, u: str, rel_type: str, v: str, key: str = "", **props: Any) -> None:
    """A tie ``u -rel_type-> v`` whose page is ``https://example.org/<u>-<v>``."""
    g.add_edge(u, v, key=f"{rel_type}|{key}", type=rel_type, evidence=f"https://example.org/{u}-{v}", **props)

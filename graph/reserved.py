"""Reading a store that already holds a property under a reserved name (issue 26).

Validation now refuses such names (``graph.schema.RESERVED_NAMES``), but a store written before
may hold one: a node property ``labels`` once made every read of the graph die in NetworkX's
``add_node``, and only wiping the store recovered. A read therefore renames such a property to
``stored_<name>`` and tells the user once per name, so the graph opens and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from graph.schema import NODE_RESERVED_NAMES, REL_RESERVED_NAMES

__all__ = ["ReservedOnRead", "safe_name"]


def safe_name(name: str) -> str:
    """The name a reserved property is read under."""
    return f"stored_{name}"


@dataclass
class ReservedOnRead:
    """Renames reserved properties met while one read builds the graph; :meth:`report` warns once per name."""

    found: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)

    def node(self, node_id: str, props: dict[str, Any]) -> dict[str, Any]:
        """``props`` of a node, its reserved names renamed (the same dict when it holds none)."""
        clash = NODE_RESERVED_NAMES.intersection(props)
        return self._renamed("node", node_id, props, clash) if clash else props

    def edge(self, where: str, props: dict[str, Any]) -> dict[str, Any]:
        """``props`` of a relationship, its reserved names renamed."""
        clash = REL_RESERVED_NAMES.intersection(props)
        return self._renamed("relationship", where, props, clash) if clash else props

    def _renamed(self, kind: str, where: str, props: dict[str, Any], clash: AbstractSet[str]) -> dict[str, Any]:
        for name in clash:
            count, first = self.found.get((kind, name), (0, where))
            self.found[(kind, name)] = (count + 1, first)
        return {(safe_name(k) if k in clash else k): v for k, v in props.items()}

    def report(self, notify: Callable[[str], None]) -> None:
        for (kind, name), (count, first) in sorted(self.found.items()):
            notify(
                f"warning: {count:,} {kind}(s) hold a property named '{name}', a reserved name (first: {first}); "
                f"read as '{safe_name(name)}'. Load them again with the column renamed to fix the store"
            )

"""The loaders ``ipeco load FORMAT`` can run, by format name (issue 3).

Every loader has the same signature: it reads the files, validates and normalises them, and returns
a :class:`loaders.base.LoadResult`; it never touches a store (DESIGN §3).

A loader's module is imported when its format is first asked for, not with the registry: ``ipeco``
lists the formats when it starts (the choices of ``ipeco load``), and importing every loader then
cost each command — most of which load nothing — about a third of its start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeAlias, cast

if TYPE_CHECKING:
    from loaders.base import LoadContext, LoadOptions, LoadResult

__all__ = ["FORMATS", "LOADERS", "Loader"]

Loader: TypeAlias = "Callable[[list[Path], LoadOptions, LoadContext], LoadResult]"

#: Format name → the module and function of its loader; the keys are the FORMAT choices of ``ipeco load``.
_PLACES: Final[dict[str, tuple[str, str]]] = {
    "canonical": ("loaders.canonical", "read_canonical"),
    "houjin": ("loaders.houjin", "read_houjin"),
    "gbiz-patent": ("loaders.gbiz", "read_gbiz_patent"),
    "gbiz-subsidy": ("loaders.gbiz", "read_gbiz_subsidy"),
    "jplatpat": ("loaders.jplatpat", "read_jplatpat"),
}

#: The format names, in the order ``ipeco load --help`` lists them.
FORMATS: Final[tuple[str, ...]] = tuple(_PLACES)


class _Loaders(Mapping[str, "Loader"]):
    """Format name → loader, each module imported on first use (a missing name raises KeyError)."""

    def __getitem__(self, name: str) -> Loader:
        module, function = _PLACES[name]
        return cast("Loader", getattr(importlib.import_module(module), function))

    def __iter__(self) -> Iterator[str]:
        return iter(_PLACES)

    def __len__(self) -> int:
        return len(_PLACES)


#: Format name → loader.
LOADERS: Final[Mapping[str, Loader]] = _Loaders()

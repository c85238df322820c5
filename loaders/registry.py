"""The loaders ``ipeco load FORMAT`` can run, by format name (issue 3).

Every loader has the same signature: it reads the files, validates and normalises them, and returns
a :class:`loaders.base.LoadResult`; it never touches a store (DESIGN §3).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from loaders.base import LoadContext, LoadOptions, LoadResult
from loaders.canonical import read_canonical
from loaders.gbiz import read_gbiz_patent, read_gbiz_subsidy
from loaders.houjin import read_houjin
from loaders.jplatpat import read_jplatpat

__all__ = ["LOADERS", "Loader"]

Loader = Callable[[list[Path], LoadOptions, LoadContext], LoadResult]

#: Format name → loader; the keys are the FORMAT choices of ``ipeco load``.
LOADERS: Final[dict[str, Loader]] = {
    "canonical": read_canonical,
    "houjin": read_houjin,
    "gbiz-patent": read_gbiz_patent,
    "gbiz-subsidy": read_gbiz_subsidy,
    "jplatpat": read_jplatpat,
}

"""The bundled seed: the real skeleton of the three JPO model regions, plus the synthetic layer.

``seeds/real/`` holds the real institutions as canonical template files (one folder per region,
plus ``national`` and ``catalogue`` for the national bodies, regions, programmes and networks), so
that the seed is read by the same loader, with the same checks, as a producer's own spreadsheet.
``seeds.synthetic`` adds clearly flagged demo firms and engagements on top of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from graph.batch import Batch
from loaders.base import LoadContext, LoadOptions
from loaders.canonical import read_canonical

__all__ = ["REAL_SEED_DIR", "REAL_SOURCE", "real_seed_batch", "seed_batch"]

#: Folder of the real skeleton (canonical template CSV files, one sub-folder per part).
REAL_SEED_DIR: Final = Path(__file__).resolve().parent / "real"
#: Dataset id of the real skeleton.
REAL_SOURCE: Final = "seed:real"


def real_seed_batch() -> Batch:
    """The real skeleton as a validated batch, every record stamped ``source: seed:real``.

    Relationships read from ``relationships.csv`` cannot carry a ``source`` column (it names their
    start node there), so their dataset id is set here: the combined seed batch mixes datasets, and
    each record must say which one it belongs to.
    """
    batch = read_canonical([REAL_SEED_DIR], LoadOptions(), LoadContext()).batch
    for records in (batch.nodes, batch.relationships):
        for record in records:
            record.props.setdefault("source", REAL_SOURCE)
    batch.source = REAL_SOURCE
    return batch


def seed_batch(scale: float = 1.0, synthetic: bool = True) -> Batch:
    """Real skeleton plus (unless ``synthetic`` is false) the synthetic layer at ``scale``, in one batch."""
    batch = real_seed_batch()
    if synthetic:
        from seeds.synthetic import synthetic_batch

        batch.extend(synthetic_batch(batch, scale=scale))
        batch.source = "seed"
    return batch

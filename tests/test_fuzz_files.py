"""Damaged files of every class give a clean error or a valid load, never an escape (issue 26, item 6).

The generator (``tests/fuzz_files.py``) is seeded: this run holds a small sample of every class to
the contract on each ``make test``; ``bench/bench_fuzz.py`` runs 5,000 files with a new seed and
prints the table by class.
"""

from __future__ import annotations

import random
from collections import Counter

from tests.fuzz_files import CLASSES, FuzzFile, generate, run

#: Files per class in the suite: every class, several of its kinds, in seconds.
PER_CLASS = 12


def test_a_seeded_sample_of_every_class_has_no_escape() -> None:
    report = run(seed=26, count=PER_CLASS * len(CLASSES))
    assert report.escapes == [], report.table()
    assert {cls.split(" (")[0] for cls in report.by_class} >= {"csv: byte flips", "xlsx: damage", "zip: encrypted"}
    totals: Counter[str] = Counter()
    for counts in report.by_class.values():
        totals.update(counts)
    assert totals["error"] > 0 and totals["loaded"] > 0  # the sample holds refusals and valid loads


def test_the_same_seed_gives_the_same_files() -> None:
    first: list[FuzzFile] = [f for _, f in generate(7, 30)]
    again: list[FuzzFile] = [f for _, f in generate(7, 30)]
    other: list[FuzzFile] = [f for _, f in generate(8, 30)]
    assert first == again and first != other


def test_file_i_depends_only_on_the_seed_and_i() -> None:
    """A failure found at index 4,321 of the large run replays alone, without generating the rest."""
    index = random.Random(1).randrange(100)
    (_, alone), *_ = [(i, f) for i, f in generate(5, 100) if i == index]
    assert alone == CLASSES[index % len(CLASSES)](random.Random(f"5:{index}"))

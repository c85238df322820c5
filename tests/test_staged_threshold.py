"""Where ``ipeco load`` stops writing one transaction and goes staged (``graph.bulk.staged_threshold``).

The bound was measured at the default 2 GiB heap with bench_ingest's graph: 1.8×10^5 records commit in
one transaction, 2.4×10^5 fail at commit. The threshold keeps a margin below what was seen to fit, and
above a 10^5-tie load (1.2×10^5 records), which staged took three times as long as one transaction.
"""

from __future__ import annotations

from graph.bulk import BYTES_PER_TX_RECORD, STAGED_MARGIN, staged_threshold

#: Records of bench_ingest's 10^5-tie load, and the most it was seen to commit in one transaction at 2g.
TIES_10_5 = 100_000 + 20_000 + 1
FITTED_AT_2G = 150_000 + 30_000 + 1


def test_a_10_5_tie_load_stays_one_transaction_at_the_default_heap() -> None:
    assert TIES_10_5 < staged_threshold("2g") < FITTED_AT_2G


def test_the_threshold_keeps_its_margin_below_what_was_seen_to_fit() -> None:
    assert staged_threshold("2g") <= STAGED_MARGIN * FITTED_AT_2G
    assert 2**30 // BYTES_PER_TX_RECORD <= FITTED_AT_2G  # never more per transaction than was seen


def test_the_threshold_grows_with_the_heap() -> None:
    assert abs(staged_threshold("4G") - 2 * staged_threshold("2g")) <= 1
    assert abs(staged_threshold("512m") - staged_threshold("2g") / 4) <= 1
    assert staged_threshold("2gb") == staged_threshold("2048m") == staged_threshold(" 2G ")

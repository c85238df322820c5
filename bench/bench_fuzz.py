"""5,000 fuzzed files (seeded, a new seed per release): every one a clean error or a valid load.

The generator and the contract live in ``tests/fuzz_files.py`` (the suite runs a small sample of
it); this prints the table by class and every escape with the index that replays it::

    python bench/bench_fuzz.py --seed 20261207 --count 5000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz_files import run  # noqa: E402

#: The seed of the issue-26 run; change it for a new run, keep the table in the issue's closing note.
SEED = 20261207


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    began = time.perf_counter()
    report = run(args.seed, args.count)
    print(f"seed {args.seed}, {args.count:,} files, {time.perf_counter() - began:.0f} s")
    print(report.table())
    for index, cls, result in report.escapes:
        print(f"  escape #{index} ({cls}): {result}")
    return 1 if report.escapes else 0


if __name__ == "__main__":
    sys.exit(main())

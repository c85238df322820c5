"""Role accuracy of the registry classifiers on a hand-checked sample of real organisations (issue 13).

The sample (``bench/data/role_sample.csv``, 118 rows) is built from names of real organisations,
each row with its source:

- the bundled real seed (``seeds/real/*/nodes.csv``): every organisation that is a legal entity of
  its own (departments, branch offices, regional offices, facilities and schools run by another
  body are left out: they are no 法人番号 row), its name as the seed writes it without a trailing
  ascii abbreviation, its seed label as the truth;
- the six 学校法人 of ``loaders.roles.SCHOOL_CORPORATIONS`` (University);
- the two 公立大学法人 look-alikes of the issue (University);
- the 18 Ishikawa municipalities of data-formats.md §1 not already in the seed, and the real 国立国会図書館
  row (GovernmentBody).

The 法人種別 is the one the registry gives such a name: 101 for the ministries and 国立国会図書館,
201 for prefectures and municipalities, 301 for a 株式会社, 399 otherwise. The corporate number is
filled where it follows from a public rule or row: local governments (``000020`` + 団体コード with its
mod-11 check digit), 国立国会図書館 and 経済産業省. Two paths are measured: the 法人番号 loader's
(kind + name + number) and the gBizINFO loaders' (name + number, no kind). ``None`` (unclassified:
left out by default) counts as wrong for every row here, since all of them are ecosystem bodies.

Run: ``.venv/bin/python bench/bench_roles.py [--json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent / "data" / "role_sample.csv"


def sample() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def accuracy(rows: list[dict[str, str]], classify: Callable[[dict[str, str]], str | None]) -> dict[str, object]:
    """Share of rows whose classified role equals the truth, overall and by true label, with the misses."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for row in rows:
        got = classify(row)
        total[row["truth"]] += 1
        if got == row["truth"]:
            right[row["truth"]] += 1
        else:
            misses.append((row["name"], row["truth"], got))
    by_label = {label: f"{right[label]}/{total[label]}" for label in sorted(total)}
    return {"right": sum(right.values()), "rows": len(rows), "by_label": by_label, "misses": misses}


def main() -> None:
    from loaders.roles import classify_name, classify_role

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = sample()
    result = {
        "houjin (kind + name + number)": accuracy(rows, lambda r: classify_role(r["kind"], r["name"], r["number"])),
        "gbiz (name + number)": accuracy(rows, lambda r: classify_name(r["name"], r["number"])),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for path, figures in result.items():
        print(f"{path}: {figures['right']}/{figures['rows']} right; by label {figures['by_label']}")
        for name, truth, got in figures["misses"]:  # type: ignore[attr-defined]
            print(f"    miss: {name}: {truth}, classified {got}")


if __name__ == "__main__":
    main()

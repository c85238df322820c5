"""Benchmark: stream a 200,000-row 法人番号 file through ``read_houjin`` under 300 MB peak memory.

Issue 3 ("Speed"): a 200,000-row 法人番号 file streams with peak memory under 300 MB. The file is
generated in a temporary folder in the bulk format of data-formats.md §1 (30 quoted columns, no
header, valid check digits, full-width street numbers, some English names with ``""`` quotes,
history rows, hidden rows, closed companies) for a prefecture the size of Hyogo (half of the rows in
Kobe) and read with no area filter, so that every organisation is kept; it is also read zipped and
filtered to Kobe. The worst case for memory is a file whose every row lies in Kobe: every
organisation is kept and also gets its ``LOCATED_IN`` tie. Peak memory is the process's maximum
resident set size (``ru_maxrss``), measured in a fresh child process per case so that one case does
not hide another's peak.

Run: ``.venv/bin/python bench/bench_houjin.py [--rows N]``; exits 1 when a peak exceeds the limit.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.identifiers import corporate_number_check_digit  # noqa: E402
from loaders.base import LoadOptions  # noqa: E402

LIMIT_MB = 300
SEED = 20251031

_KANJI = "青森弘前八戸金沢小松加賀神戸灘須磨垂水明石姫路東西南北山川田中村松本水産食品工業精機製作技研電機化学"
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
_WARDS = [("101", "神戸市東灘区"), ("102", "神戸市灘区"), ("105", "神戸市兵庫区"), ("110", "神戸市中央区")]
_CITIES = [*_WARDS, ("201", "姫路市"), ("202", "尼崎市"), ("203", "明石市"), ("204", "西宮市")]
_KINDS = [("301", "株式会社{}"), ("302", "有限会社{}"), ("305", "合同会社{}"), ("399", "一般社団法人{}")]
_FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _number(rng: random.Random, serial: int) -> str:
    base = f"{rng.randint(1, 9)}{serial:011d}"
    return f"{corporate_number_check_digit(base)}{base}"


def write_file(path: Path, rows: int, cities: list[tuple[str, str]] = _CITIES) -> None:
    """Write ``rows`` bulk-format rows: ~3 % history rows, ~1 % hidden, ~5 % closed."""
    rng = random.Random(SEED)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        serial = 0
        written = 0
        while written < rows:
            serial += 1
            number = _number(rng, serial)
            kind, pattern = rng.choice(_KINDS)
            stem = "".join(rng.choices(_KANJI, k=rng.randint(3, 8)))
            name = pattern.format(stem)
            city_code, city = rng.choice(cities)
            street = f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}".translate(_FULL)
            en = f'"{stem}" Co., Ltd.' if rng.random() < 0.1 else ""
            closed = rng.random() < 0.05
            versions = 2 if rng.random() < 0.03 and written + 1 < rows else 1
            for version in range(versions):
                latest = "1" if version == versions - 1 else "0"
                update = f"20{15 + version + rng.randint(0, 5):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                row = [str(written + 1), number, "01", "1", update, "2015-10-05", name, "", kind, "兵庫県"]
                row += [city, street, "", "28", city_code, f"{rng.randint(6500000, 6799999)}", "", ""]
                row += ["2023-03-31" if closed else "", "01" if closed else "", "", "", "2015-10-05", latest]
                row += [en, "Hyogo" if en else "", "", "", "".join(rng.choices(_KANA, k=rng.randint(4, 12)))]
                row += ["1" if rng.random() < 0.01 else "0"]
                out.writerow(row)
                written += 1


def _child(path: str, region: str | None) -> None:
    """Run one case in this (fresh) process and print its figures as JSON."""
    from loaders.base import LoadContext
    from loaders.houjin import read_houjin

    start = time.perf_counter()
    result = read_houjin([Path(path)], LoadOptions(region=region), LoadContext())
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = result.report["rows"]
    figures = {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds, "peak_mb": peak_mb}
    figures["nodes"] = len(result.batch.nodes)
    figures["relationships"] = len(result.batch.relationships)
    print(json.dumps(figures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--child", nargs=2, metavar=("PATH", "REGION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], None if args.child[1] == "-" else args.child[1])
        return 0
    with tempfile.TemporaryDirectory(prefix="ipeco-bench-houjin-") as tmp:
        csv_path = Path(tmp) / "28_hyogo_all_20251031.csv"
        write_file(csv_path, args.rows)
        zip_path = csv_path.with_suffix(".zip")
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(csv_path, csv_path.name)
        kobe_path = Path(tmp) / "28_kobe_only.csv"
        write_file(kobe_path, args.rows, _WARDS)
        size_mb = csv_path.stat().st_size / 2**20
        cases = [("csv, all kept", csv_path, "-"), ("zip, all kept", zip_path, "-")]
        cases += [("csv, all kept, all Kobe", kobe_path, "-"), ("csv, --region kobe", csv_path, "kobe")]
        print(f"法人番号 streaming benchmark: {args.rows:,} rows, {size_mb:.1f} MB CSV, limit {LIMIT_MB} MB peak RSS")
        print(f"{'case':<24} {'rows/s':>10} {'seconds':>8} {'nodes':>8} {'rels':>8} {'peak RSS MB':>12}")
        worst = 0.0
        for label, path, region in cases:
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path), region], capture_output=True, text=True, check=True
            )
            f = json.loads(done.stdout.strip().splitlines()[-1])
            worst = max(worst, f["peak_mb"])
            print(
                f"{label:<24} {f['rows_per_s']:>10,.0f} {f['seconds']:>8.2f} {f['nodes']:>8,} "
                f"{f['relationships']:>8,} {f['peak_mb']:>12.1f}"
            )
    verdict = "OK" if worst <= LIMIT_MB else "OVER THE LIMIT"
    print(f"worst peak {worst:.1f} MB (limit {LIMIT_MB} MB): {verdict}")
    return 0 if worst <= LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())

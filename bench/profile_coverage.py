"""How much of the real layer's firms carry a sourced profile (issue 20, item 1).

The advice engine reasons on a firm's industry and size; a figure that is missing must show as
unknown rather than be guessed, so the share of firms that carry a *sourced* value is the measure
of how far that reasoning reaches. A firm counts for its region when its node is read from
``seeds/real/<region>/nodes.csv``. A value counts as sourced only with the page behind it:

- industry: ``industry`` words or a ``jsic`` code, with ``profile_evidence`` or the node's
  ``evidence`` (the page that named the firm and, in the seed, stated its industry words);
- size: ``employees`` or ``capital`` with ``size_evidence``.

"Above the thresholds" applies 中小企業基本法 第2条 (capital *or* headcount at or under the
sector's limit makes an SME) to the figures the pages state: a firm is above only when every stated
figure exceeds its limit. The sector is read from the JSIC code; a firm without one is judged by the
most lenient limits (manufacturing and others), so that no firm is pushed out of the SME lists by a
guess.

Run: ``.venv/bin/python -m bench.profile_coverage``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MODEL_REGIONS: tuple[str, ...] = ("aomori", "ishikawa", "kobe", "aichi", "yamaguchi", "kumamoto")

#: 中小企業基本法 第2条: (capital in yen, regular employees) at or under which a firm is an SME.
SME_LIMITS: Mapping[str, tuple[int, int]] = {
    "manufacturing_and_others": (300_000_000, 300),
    "wholesale": (100_000_000, 100),
    "retail": (50_000_000, 50),
    "services": (50_000_000, 100),
}

_SERVICE_MAJORS = frozenset("GKLNOPQR")


@dataclass(frozen=True)
class RegionCoverage:
    """Counts for one region's real firms."""

    region: str
    firms: int
    with_industry: int
    with_size: int
    listed: int
    above_thresholds: int

    def share(self, count: int) -> float:
        """``count`` as a percentage of the region's firms (0 when the region has none)."""
        return 100.0 * count / self.firms if self.firms else 0.0


def sector(jsic: str | None) -> str:
    """The 中小企業基本法 sector of a JSIC code (大分類 letter, optional 中分類 digits)."""
    if not jsic:
        return "manufacturing_and_others"
    major, minor = jsic[0], jsic[1:3]
    if major == "I" and minor:
        return "wholesale" if int(minor) <= 55 else "retail"
    if major == "M" and minor in ("76", "77"):
        return "retail"
    if major == "M" or major in _SERVICE_MAJORS:
        return "services"
    return "manufacturing_and_others"


def has_sourced_industry(props: Mapping[str, Any]) -> bool:
    """Industry words or a JSIC code, with the page that states them."""
    return bool(props.get("industry") or props.get("jsic")) and bool(
        props.get("profile_evidence") or props.get("evidence")
    )


def has_sourced_size(props: Mapping[str, Any]) -> bool:
    """A headcount or a capital figure, with the page that states it."""
    figure = props.get("employees") is not None or props.get("capital") is not None
    return figure and bool(props.get("size_evidence"))


def above_thresholds(props: Mapping[str, Any]) -> bool:
    """True when every stated size figure exceeds the SME limit of the firm's sector."""
    capital_limit, staff_limit = SME_LIMITS[sector(props.get("jsic"))]
    stated: list[bool] = []
    if props.get("capital") is not None:
        stated.append(int(props["capital"]) > capital_limit)
    if props.get("employees") is not None:
        stated.append(int(props["employees"]) > staff_limit)
    return bool(stated) and all(stated)


def region_of(origin_file: str) -> str | None:
    """The model region a node was read for, from its file ``.../seeds/real/<region>/nodes.csv``."""
    parts = Path(origin_file).parts
    if "real" not in parts:
        return None
    index = parts.index("real")
    return parts[index + 1] if index + 1 < len(parts) else None


def real_firms(nodes: Iterable[Any]) -> dict[str, list[Mapping[str, Any]]]:
    """The properties of every ``Company`` node of the six model regions, by region."""
    firms: dict[str, list[Mapping[str, Any]]] = {region: [] for region in MODEL_REGIONS}
    for node in nodes:
        if "Company" not in node.labels or node.origin is None:
            continue
        region = region_of(node.origin.file)
        if region in firms:
            firms[region].append(node.props)
    return firms


def coverage(firms: Mapping[str, list[Mapping[str, Any]]]) -> list[RegionCoverage]:
    """One row per region, in the order of :data:`MODEL_REGIONS`."""
    rows = []
    for region in MODEL_REGIONS:
        props = firms.get(region, [])
        rows.append(
            RegionCoverage(
                region=region,
                firms=len(props),
                with_industry=sum(has_sourced_industry(p) for p in props),
                with_size=sum(has_sourced_size(p) for p in props),
                listed=sum(p.get("listed") is True for p in props),
                above_thresholds=sum(above_thresholds(p) for p in props),
            )
        )
    return rows


def total(rows: Iterable[RegionCoverage]) -> RegionCoverage:
    """The sum over regions."""
    rows = list(rows)
    return RegionCoverage(
        region="all",
        firms=sum(r.firms for r in rows),
        with_industry=sum(r.with_industry for r in rows),
        with_size=sum(r.with_size for r in rows),
        listed=sum(r.listed for r in rows),
        above_thresholds=sum(r.above_thresholds for r in rows),
    )


def table(rows: Iterable[RegionCoverage]) -> str:
    """The coverage table as aligned text (one line per region, then the total)."""
    rows = list(rows)
    lines = [
        f"{'region':<10} {'firms':>5} {'industry':>14} {'size':>14} {'listed':>6} {'above SME':>9}",
    ]
    for row in [*rows, total(rows)]:
        lines.append(
            f"{row.region:<10} {row.firms:>5} "
            f"{row.with_industry:>5} ({row.share(row.with_industry):5.1f}%) "
            f"{row.with_size:>5} ({row.share(row.with_size):5.1f}%) "
            f"{row.listed:>6} {row.above_thresholds:>9}"
        )
    return "\n".join(lines)


def main() -> int:
    from seeds import real_seed_batch

    print("Real firms with a sourced profile (industry: words or JSIC; size: employees or capital)")
    print(table(coverage(real_firms(real_seed_batch().nodes))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time-split backtest of the partner suggestions on the real layer, against link-prediction baselines.

Every tie dated from fiscal year Y on is hidden, with Y the latest year from which at least 30 firms
gain a partner tie (COLLABORATES_WITH); the suggestions are ranked from the ties before Y and scored
on the hidden ones (``analytics.recommend.evaluate_time_split``). The same run scores the blend, its
parts and the baselines (common neighbours, Adamic–Adar, preferential attachment, a seeded random
score): mean AUC and precision@10 per scorer, each with a 95% bootstrap interval over firms. The real
layer is small, so the intervals are the figure to read; nothing is tuned to it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.recommend import evaluate_time_split  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from seeds import real_seed_batch  # noqa: E402

MIN_FIRMS = 30
ORDER = ("blend", "fields", "proximity", "common_neighbours", "adamic_adar", "preferential_attachment", "random_scores")


def backtest() -> dict:
    """The backtest's document on the real layer (one run: every scorer on the same firms)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ipeco.sqlite"
        with EmbeddedStore(path) as store:
            store.write_batch(real_seed_batch())
        graph = EmbeddedStore(path).read_graph_all()
    return evaluate_time_split(graph, min_firms=MIN_FIRMS, seed=42)


def markdown(result: dict) -> str:
    """The README's table: scorer, AUC [95% CI], precision@10 [95% CI]."""
    top = result.get("top", 10)
    p_key = f"precision_at_{top}"
    lines = [
        f"| scorer | AUC [95% CI] | precision@{top} [95% CI] |",
        "|---|---|---|",
    ]
    for key in ORDER:
        score, ci = result["scores"].get(key), result["ci95"].get(key)
        if score is None or ci is None:
            continue
        lines.append(
            f"| {key.replace('_', ' ')} | {score['auc']:.3f} [{ci['auc'][0]:.3f}–{ci['auc'][1]:.3f}] "
            f"| {score[p_key]:.3f} [{ci[p_key][0]:.3f}–{ci[p_key][1]:.3f}] |"
        )
    chance = result["scores"]["random"][p_key]
    lines.append(f"| chance level | 0.500 | {chance:.3f} |")
    return "\n".join(lines)


def main() -> None:
    result = backtest()
    if not result.get("firms"):
        print(f"no firm to score: {result.get('note')}")
        return
    print(f"ties hidden from FY{result['test_year']} on; firms scored: {result['firms']}")
    print(markdown(result))


if __name__ == "__main__":
    main()

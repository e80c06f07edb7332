"""Choose the hub's Dice threshold and its second stage (the check segments' thresholds)
on the tuning sets only: the Balkan cross-border set (`bench/linkage/balkan_data.py`,
seed 20251129) and FEBRL 4. The held-out family registers are not read here.

    python bench/exchange/check_tuning.py [--data DIR]

For each Dice threshold and each setting of the check thresholds (the sibling rule's
given-name bound and the father rule's bound; see `comparison.CHECK_THRESHOLDS`), the
hub's hits (every blocked pair at the threshold, no one-to-one solving: what focal
points are sent) are counted against the truth of each set. The choice: the highest
mean F1 of hits over the two sets. A birth segment (date and sex) was tried too, in a
first version of this script, and never chosen: garbled dates in true pairs cost more
than it saved, so the encoding does not carry it.
"""

import argparse
import importlib.util
import itertools
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1] / "src"), str(HERE.parents[1] / "bench" / "linkage"), str(HERE)]

import balkan_data  # noqa: E402
import febrl_data  # noqa: E402
import numpy as np  # noqa: E402
from layout import read_pairs  # noqa: E402

from crossroads.exchange.comparison import (  # noqa: E402
    CHECK_THRESHOLDS,
    DEFAULT_THRESHOLD,
    check_contradicts,
    check_scores,
)

# bench/exchange/run.py by its path (bench/linkage has a run.py too).
_spec = importlib.util.spec_from_file_location("exchange_bench", HERE / "run.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

GRID = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
DICE = (0.6, 0.62, 0.65, 0.68, 0.7)


def candidates(paths: dict):
    truth = set(read_pairs(paths["truth"]))
    left, right = bench._read(paths["left"]), bench._read(paths["right"])
    left_ids, right_ids, left_index, right_index, _, _ = bench._encoded(left, right)
    rows, columns, scores = left_index.matches(right_index, min(DICE), check=False)
    true = np.array([(left_ids[i], right_ids[j]) in truth for i, j in zip(rows, columns, strict=True)])
    return scores, true, len(truth), check_scores(left_index.checks[rows], right_index.checks[columns])


def quality(hit: np.ndarray, true: np.ndarray, total: int) -> tuple[float, float, float]:
    right = int((hit & true).sum())
    precision = right / int(hit.sum()) if hit.any() else 0.0
    recall = right / total
    return precision, recall, 2 * precision * recall / (precision + recall) if right else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "crossroads-bench")
    options = parser.parse_args()
    options.data.mkdir(parents=True, exist_ok=True)
    sets = {
        "balkan": candidates(balkan_data.write_cross_border(options.data)),
        "febrl4": candidates(febrl_data.write_febrl4(options.data)),
    }
    results = []
    for given, father in itertools.product(GRID, GRID):
        rule = {"sibling": given, "father": father}
        refused = {
            name: check_contradicts(segments, rule)
            for name, (_, _, _, segments) in sets.items()
        }
        for threshold in DICE:
            row = {
                name: quality((scores >= threshold) & ~refused[name], true, total)
                for name, (scores, true, total, _) in sets.items()
            }
            mean = sum(q[2] for q in row.values()) / len(row)
            results.append((mean, threshold, given, father, row))
    results.sort(key=lambda r: (-r[0], -r[1]))

    def show(label: str, result) -> None:
        mean, threshold, given, father, row = result
        figures = "; ".join(f"{name} P {p:.4f} R {r:.4f} F1 {f:.4f}" for name, (p, r, f) in row.items())
        setting = f"Dice {threshold:.2f} sibling {given:.2f} father {father:.2f}"
        print(f"   {label:<22} {setting}: mean F1 {mean:.4f} ({figures})")

    print("hub hits on the tuning sets (blocked, no one-to-one):")
    for result in results[:8]:
        show("best", result)
    for threshold in DICE:
        show("Dice only", next(r for r in results if r[1] == threshold and r[2:4] == (0.0, 0.0)))
    shipped = (DEFAULT_THRESHOLD, CHECK_THRESHOLDS.get("sibling", 0.0), CHECK_THRESHOLDS.get("father", 0.0))
    show("shipped", next(r for r in results if r[1:4] == shipped))
    # The unconditional given-name rule, for the record (it was not chosen).
    for threshold in (0.65, 0.7):
        for given in (0.3, 0.4):
            row = {}
            for name, (scores, true, total, segments) in sets.items():
                refused = check_contradicts(segments, {"given": given, "father": CHECK_THRESHOLDS["father"]})
                row[name] = quality((scores >= threshold) & ~refused, true, total)
            mean = sum(q[2] for q in row.values()) / len(row)
            show(f"given always {given}", (mean, threshold, 0.0, CHECK_THRESHOLDS["father"], row))


if __name__ == "__main__":
    main()

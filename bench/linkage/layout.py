"""The batch CSV layout every tool in the benchmark reads, and its ground truth files."""

import csv
from collections.abc import Iterable
from pathlib import Path

from crossroads.linkage.records import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

# The contract layout of `crossroads link|dedupe`, as the engine defines it.
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


def write_records(path: Path, records: Iterable[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)


def write_truth(path: Path, pairs: Iterable[tuple[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("left_id", "right_id"))
        writer.writerows(pairs)


def read_pairs(path: Path) -> list[tuple[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(row[0], row[1]) for row in reader]


def read_scored_pairs(path: Path) -> list[tuple[str, str, float]]:
    """Pairs with their probability (1.0 for a tool that writes none)."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(row[0], row[1], float(row[2]) if len(row) > 2 else 1.0) for row in reader]

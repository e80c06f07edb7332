"""CSV files in the batch layout: records in, pairs and clusters out.

Outputs are written to a temporary file beside the target and renamed into place,
so an interrupted run never leaves a half-written file behind.
"""

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from crossroads.linkage.records import REQUIRED_COLUMNS


class CsvLayoutError(ValueError):
    pass


def read_records(path: str | Path) -> Iterator[dict]:
    """Yield each data row as a dict with its 1-based line number under `_line`.

    Raises CsvLayoutError (naming the file) if the header lacks a required column.
    """
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise CsvLayoutError(f"{path}: line 1: header lacks column(s) {', '.join(missing)}")
        for row in reader:
            row["_line"] = reader.line_num
            yield row


def _write_atomically(path: str | Path, header: tuple[str, ...], rows: Iterable) -> None:
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent or ".", suffix=".partial")
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def write_pairs(path: str | Path, pairs: Iterable) -> None:
    _write_atomically(
        path,
        ("left_id", "right_id", "probability"),
        ((pair.left_id, pair.right_id, f"{pair.probability:.6f}") for pair in pairs),
    )


def write_clusters(path: str | Path, clusters: dict[str, str]) -> None:
    _write_atomically(path, ("id", "cluster_id"), sorted(clusters.items()))

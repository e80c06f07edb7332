"""CSV files in the batch layout: records in, pairs and clusters out.

Inputs are checked first (`check_input`): a byte that is not UTF-8 or a NUL byte is refused
with the file and line. Outputs are written to a temporary file beside the target and renamed
into place, so an interrupted run never leaves a half-written file behind; every cell goes
through `spreadsheet_safe` (no formula, no NUL reaches a spreadsheet).
"""

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from crossroads.linkage.records import REQUIRED_COLUMNS
from crossroads.text import SafeCsvWriter


class CsvLayoutError(ValueError):
    pass


def check_input(path: str | Path) -> None:
    """Refuse a file that is not UTF-8 text or holds a NUL byte, naming the file, the line
    and the byte; read line by line in bounded memory."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise CsvLayoutError(
                    f"{path}: line {number}: not UTF-8 text (byte {error.start + 1} of the "
                    f"line is {line[error.start:error.start + 1].hex()}); save the file as "
                    "UTF-8") from None
            if b"\0" in line:
                raise CsvLayoutError(f"{path}: line {number}: a NUL byte (byte "
                                     f"{line.index(0) + 1} of the line); remove it") from None


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
            writer = SafeCsvWriter(handle)
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

"""Dice similarity of encodings, with blocking, and one-to-one solving for batch linkage.

Filters are held as (n, length/64) uint64 matrices; a comparison is an AND and a
popcount (`np.bitwise_count`) over those words, so the hub's cost per pair is close
to the machine's raw popcount bound (bench/exchange measures both).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from anonlink.solving import greedy_solve

from crossroads.exchange.blocking import band_values, candidate_pairs
from crossroads.exchange.encoding import DEFAULT_SCHEMA, Encoding, Schema, bit_matrix

__all__ = ["DEFAULT_THRESHOLD", "EncodingIndex", "compare", "dice", "link", "solve_one_to_one"]

# Dice at or above which the hub reports a hit; chosen on the synthetic cross-border
# set and FEBRL 4 (bench/exchange/RESULTS.md).
DEFAULT_THRESHOLD = 0.65
# Pairs scored per chunk: bounds the memory of the gathered rows (chunk x words x 8 B x 2).
_CHUNK = 1 << 18

Match = tuple[int, int, float]


def _words(packed: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(packed).view(np.uint64)


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient of two filters: 2 |a AND b| / (|a| + |b|); 0 for two empty filters."""
    left = np.frombuffer(a, dtype=np.uint64)
    right = np.frombuffer(b, dtype=np.uint64)
    total = int(np.bitwise_count(left).sum() + np.bitwise_count(right).sum())
    return 2 * int(np.bitwise_count(left & right).sum()) / total if total else 0.0


@dataclass
class EncodingIndex:
    """Encodings prepared for comparison: their words, popcounts and band values.

    The hub keeps one per schema for the encodings it holds and queries it with each
    new batch, so sorting and unpacking are not repeated per query.
    """

    words: np.ndarray
    popcounts: np.ndarray
    bands: np.ndarray
    schema: Schema

    @classmethod
    def build(cls, encodings: Sequence[Encoding], schema: Schema = DEFAULT_SCHEMA) -> "EncodingIndex":
        return cls.from_packed(bit_matrix(encodings, schema), schema)

    @classmethod
    def from_packed(cls, packed: np.ndarray, schema: Schema = DEFAULT_SCHEMA) -> "EncodingIndex":
        words = _words(packed)
        popcounts = np.bitwise_count(words).sum(axis=1, dtype=np.int32)
        return cls(words, popcounts, band_values(packed, schema), schema)

    def __len__(self) -> int:
        return len(self.words)

    def scores(self, other: "EncodingIndex", rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Dice of (self[rows[k]], other[columns[k]]) for every k."""
        result = np.empty(len(rows), dtype=np.float64)
        for start in range(0, len(rows), _CHUNK):
            i, j = rows[start : start + _CHUNK], columns[start : start + _CHUNK]
            common = np.bitwise_count(self.words[i] & other.words[j]).sum(axis=1, dtype=np.int32)
            total = self.popcounts[i] + other.popcounts[j]
            result[start : start + len(i)] = np.divide(
                2.0 * common, total, out=np.zeros(len(i)), where=total > 0
            )
        return result

    def matches(
        self, other: "EncodingIndex", threshold: float, *, blocking: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Arrays (i, j, score) of pairs of self × other at Dice >= threshold."""
        if blocking:
            rows, columns = candidate_pairs(self.bands, other.bands)
        else:
            rows = np.repeat(np.arange(len(self), dtype=np.int64), len(other))
            columns = np.tile(np.arange(len(other), dtype=np.int64), len(self))
        scores = self.scores(other, rows, columns)
        keep = scores >= threshold
        return rows[keep], columns[keep], scores[keep]


def _check_threshold(threshold: float) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold: must be in (0, 1]")


def compare(
    new: Sequence[Encoding],
    existing: Sequence[Encoding],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    schema: Schema = DEFAULT_SCHEMA,
    blocking: bool = True,
) -> list[Match]:
    """Every pair (i, j, Dice) of new[i] and existing[j] at Dice >= threshold, best first.

    With `blocking` (the default) only pairs sharing an LSH band are scored; the
    hub's hit / no-hit uses this. Without, every pair is scored (for tests and
    benchmarks of blocking recall).
    """
    _check_threshold(threshold)
    rows, columns, scores = EncodingIndex.build(new, schema).matches(
        EncodingIndex.build(existing, schema), threshold, blocking=blocking
    )
    order = np.lexsort((columns, rows, -scores))
    return [(int(rows[k]), int(columns[k]), float(scores[k])) for k in order]


def solve_one_to_one(matches: Sequence[Match]) -> list[Match]:
    """Greedy one-to-one assignment (anonlink's solver): best pair first, each record
    used at most once. For batch linkage of two sets where each person appears once."""
    if not matches:
        return []
    scores = np.array([m[2] for m in matches], dtype=np.float64)
    # anonlink's native solver reads unsigned 32-bit record and dataset indices.
    rows = np.array([m[0] for m in matches], dtype=np.uint32)
    columns = np.array([m[1] for m in matches], dtype=np.uint32)
    order = np.lexsort((columns, rows, -scores))
    candidates = (
        np.ascontiguousarray(scores[order]),
        (np.zeros(len(order), dtype=np.uint32), np.ones(len(order), dtype=np.uint32)),
        (np.ascontiguousarray(rows[order]), np.ascontiguousarray(columns[order])),
    )
    chosen = {}
    for group in greedy_solve(candidates):
        (_, i), (_, j) = sorted(group)
        chosen[(i, j)] = True
    return [m for m in (matches[k] for k in order) if (m[0], m[1]) in chosen]


def link(
    left: Sequence[Encoding],
    right: Sequence[Encoding],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    schema: Schema = DEFAULT_SCHEMA,
) -> list[Match]:
    """Batch linkage of two sets: blocked comparison, then one-to-one solving."""
    return solve_one_to_one(compare(left, right, threshold, schema=schema))

"""Dice similarity of encodings, with blocking, and one-to-one solving for batch linkage.

Filters are held as (n, length/64) uint64 matrices; a comparison is an AND and a
popcount (`np.bitwise_count`) over those words, so the hub's cost per pair is close
to the machine's raw popcount bound (bench/exchange measures both).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from anonlink.solving import greedy_solve

from crossroads.exchange.blocking import BandTable, band_keys, band_values, key_space
from crossroads.exchange.encoding import DEFAULT_SCHEMA, Encoding, Schema, bit_matrix, check_key_ids

__all__ = ["DEFAULT_THRESHOLD", "EncodingIndex", "compare", "dice", "link", "solve_one_to_one"]

# Dice at or above which the hub reports a hit; chosen on the synthetic cross-border
# set and FEBRL 4 (bench/exchange/RESULTS.md).
DEFAULT_THRESHOLD = 0.65
# Pairs scored per chunk: the gathered rows (chunk x words x 8 B, twice) stay in cache.
_CHUNK = 1 << 13

Match = tuple[int, int, float]


def _words(packed: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(packed).view(np.uint64)


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient of two filters: 2 |a AND b| / (|a| + |b|); 0 for two empty filters."""
    left = np.frombuffer(a, dtype=np.uint64)
    right = np.frombuffer(b, dtype=np.uint64)
    total = int(np.bitwise_count(left).sum() + np.bitwise_count(right).sum())
    return 2 * int(np.bitwise_count(left & right).sum()) / total if total else 0.0


def popcount_and(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """|left[k] AND right[k]| per row of two (n, words) uint64 arrays; overwrites `left`.

    The per-word counts are summed by a float32 matrix product (exact: at most
    65,536 bits), which numpy runs several times faster than `.sum(axis=1)` over
    rows of 16 words.
    """
    np.bitwise_and(left, right, out=left)
    counts = np.bitwise_count(left).astype(np.float32)
    return counts @ np.ones(left.shape[1], dtype=np.float32)


def dice_rows(left: np.ndarray, right: np.ndarray, totals: np.ndarray) -> np.ndarray:
    common = popcount_and(left, right)
    return np.divide(2.0 * common, totals, out=np.zeros(len(common)), where=totals > 0)


@dataclass
class EncodingIndex:
    """Encodings prepared for comparison: their words, popcounts and blocking keys.

    The hub keeps one per schema for the encodings it holds and queries it with each
    new batch, so sorting and unpacking are not repeated per query.
    """

    words: np.ndarray
    popcounts: np.ndarray
    keys: np.ndarray
    schema: Schema

    @classmethod
    def build(cls, encodings: Sequence[Encoding], schema: Schema = DEFAULT_SCHEMA) -> "EncodingIndex":
        return cls.from_packed(bit_matrix(encodings, schema), schema)

    @classmethod
    def from_packed(cls, packed: np.ndarray, schema: Schema = DEFAULT_SCHEMA) -> "EncodingIndex":
        words = _words(packed)
        popcounts = np.bitwise_count(words).sum(axis=1, dtype=np.int32)
        return cls(words, popcounts, band_keys(band_values(packed, schema), schema), schema)

    @cached_property
    def table(self) -> BandTable:
        return BandTable(self.keys, key_space(self.schema))

    def __len__(self) -> int:
        return len(self.words)

    @cached_property
    def _rows(self) -> np.ndarray:
        # Each filter as one 'void' item: a gather copies one block per pair, about
        # twice as fast as fancy-indexing rows of a 2-D array.
        return self.words.view(np.dtype((np.void, self.words.shape[1] * 8))).ravel()

    def gather(self, indices: np.ndarray) -> np.ndarray:
        return self._rows[indices].view(np.uint64).reshape(len(indices), -1)

    def scores(self, other: "EncodingIndex", rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Dice of (self[rows[k]], other[columns[k]]) for every k."""
        result = np.empty(len(rows), dtype=np.float64)
        for start in range(0, len(rows), _CHUNK):
            i, j = rows[start : start + _CHUNK], columns[start : start + _CHUNK]
            totals = self.popcounts[i] + other.popcounts[j]
            result[start : start + len(i)] = dice_rows(self.gather(i), other.gather(j), totals)
        return result

    def matches(
        self, other: "EncodingIndex", threshold: float, *, blocking: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Arrays (i, j, score) of pairs of self × other at Dice >= threshold, by (i, j)."""
        if not blocking:
            return self._all_matches(other, threshold)
        rows, columns = other.table.candidates(self.keys, distinct=False)
        scores = self.scores(other, rows, columns)
        keep = np.flatnonzero(scores >= threshold)
        # A pair that shares several bands was scored once per band: keep it once.
        codes = rows[keep] * np.int64(len(other)) + columns[keep]
        order = np.argsort(codes, kind="stable")
        codes, scores = codes[order], scores[keep][order]
        first = np.concatenate(([True], codes[1:] != codes[:-1])) if len(codes) else np.zeros(0, bool)
        return codes[first] // len(other), codes[first] % len(other), scores[first]

    def _all_matches(self, other: "EncodingIndex", threshold: float) -> tuple[np.ndarray, ...]:
        found = [], [], []
        step = max(1, _CHUNK * 16 // max(len(other), 1))
        for start in range(0, len(self), step):
            stop = min(start + step, len(self))
            rows = np.repeat(np.arange(start, stop, dtype=np.int64), len(other))
            columns = np.tile(np.arange(len(other), dtype=np.int64), stop - start)
            scores = self.scores(other, rows, columns)
            keep = scores >= threshold
            for part, values in zip(found, (rows[keep], columns[keep], scores[keep]), strict=True):
                part.append(values)
        if not found[0]:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return tuple(np.concatenate(part) for part in found)


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
    check_key_ids([*new, *existing])
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

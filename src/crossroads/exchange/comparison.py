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
from crossroads.exchange.encoding import (
    DEFAULT_SCHEMA,
    Encoding,
    Schema,
    bit_matrix,
    check_key_ids,
    check_matrix,
)

__all__ = [
    "CHECK_THRESHOLDS",
    "DEFAULT_THRESHOLD",
    "SIBLING_FATHER",
    "EncodingIndex",
    "check_contradicts",
    "check_scores",
    "compare",
    "dice",
    "link",
    "solve_one_to_one",
]

# Dice at or above which the hub reports a hit (before the second stage); chosen with
# the second stage on the synthetic cross-border set and FEBRL 4 (bench/exchange/RESULTS.md).
DEFAULT_THRESHOLD = 0.7
# Pairs scored per chunk: the gathered rows (chunk x words x 8 B, twice) stay in cache.
_CHUNK = 1 << 13

# The second stage: a pair that reaches the Dice threshold is still no hit when its
# check segments (single fields, `encoding.check_features`) tell two people apart:
# - "father": both fathers' names known and different (a namesake);
# - "sibling": both fathers' names known and the same (Dice >= SIBLING_FATHER), and the
#   given names different (a sibling or twin), unless given and family name are
#   swapped between the two records;
# - "given" (off by default): the given names different, whatever the father.
# A segment empty on either side is no evidence either way. The thresholds and the Dice
# threshold were chosen on the tuning sets only (Balkan and FEBRL 4, mean F1 of the hub's
# hits; `bench/exchange/check_tuning.py`); an unconditional given-name rule costs FEBRL's
# duplicates with a replaced given name a tenth of their recall and was not chosen.
CHECK_THRESHOLDS = {"father": 0.25, "sibling": 0.45}
SIBLING_FATHER = 0.5

Match = tuple[int, int, float]


def _segment_dice(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Dice per row of two (n, bytes) uint8 arrays; NaN where either row is empty."""
    left_count = np.bitwise_count(left).sum(axis=1, dtype=np.int32)
    right_count = np.bitwise_count(right).sum(axis=1, dtype=np.int32)
    common = np.bitwise_count(left & right).sum(axis=1, dtype=np.int32)
    total = left_count + right_count
    scores = np.divide(2.0 * common, total, out=np.zeros(len(common)), where=total > 0)
    return np.where((left_count == 0) | (right_count == 0), np.nan, scores)


def check_scores(
    left: np.ndarray, right: np.ndarray, schema: Schema = DEFAULT_SCHEMA
) -> dict[str, np.ndarray]:
    """Dice of each check segment for rows of two (n, check bytes) uint8 arrays, with
    "given/family" and "family/given" (one record's given name against the other's
    family name, for swapped names). NaN where a segment is empty on either side."""

    def part(matrix: np.ndarray, name: str) -> np.ndarray:
        start, stop = schema.check_bounds[name]
        return matrix[:, start // 8 : stop // 8]

    scores = {name: _segment_dice(part(left, name), part(right, name)) for name in schema.check_bounds}
    bounds = schema.check_bounds
    if {"given", "family"} <= scores.keys() and (
        bounds["given"][1] - bounds["given"][0] == bounds["family"][1] - bounds["family"][0]
    ):
        scores["given/family"] = _segment_dice(part(left, "given"), part(right, "family"))
        scores["family/given"] = _segment_dice(part(left, "family"), part(right, "given"))
    return scores


def check_contradicts(
    scores: dict[str, np.ndarray], thresholds: dict[str, float] | None = None
) -> np.ndarray:
    """True where the check segments tell two people apart (see CHECK_THRESHOLDS)."""
    thresholds = CHECK_THRESHOLDS if thresholds is None else thresholds
    length = len(next(iter(scores.values()))) if scores else 0
    contradicts = np.zeros(length, dtype=bool)
    with np.errstate(invalid="ignore"):  # NaN (an empty segment) compares False
        father = scores.get("father")
        if father is not None and thresholds.get("father"):
            contradicts |= father < thresholds["father"]
        for rule in ("given", "sibling"):
            bound = thresholds.get(rule)
            if not bound or "given" not in scores:
                continue
            differ = scores["given"] < bound
            if "given/family" in scores:
                differ &= ~((scores["given/family"] >= bound) & (scores["family/given"] >= bound))
            if rule == "sibling":
                if father is None:
                    continue
                differ &= father >= SIBLING_FATHER
            contradicts |= differ
    return contradicts


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
    # The check segments, (n, check bytes) uint8; None when not known (no second stage).
    checks: np.ndarray | None = None

    @classmethod
    def build(cls, encodings: Sequence[Encoding], schema: Schema = DEFAULT_SCHEMA) -> "EncodingIndex":
        packed = bit_matrix(encodings, schema)
        return cls.from_packed(packed, schema, check_matrix(encodings, schema))

    @classmethod
    def from_packed(
        cls, packed: np.ndarray, schema: Schema = DEFAULT_SCHEMA, checks: np.ndarray | None = None
    ) -> "EncodingIndex":
        words = _words(packed)
        popcounts = np.bitwise_count(words).sum(axis=1, dtype=np.int32)
        return cls(words, popcounts, band_keys(band_values(packed, schema), schema), schema, checks)

    def contradicts(self, other: "EncodingIndex", rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """The second stage for pairs (self[rows[k]], other[columns[k]]): True where a
        check segment disagrees; all False when either side has no check segments."""
        if self.checks is None or other.checks is None or not self.schema.check_segments:
            return np.zeros(len(rows), dtype=bool)
        return check_contradicts(check_scores(self.checks[rows], other.checks[columns], self.schema))

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
        self, other: "EncodingIndex", threshold: float, *, blocking: bool = True, check: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Arrays (i, j, score) of pairs of self × other at Dice >= threshold, by (i, j);
        with `check` (the default), without the pairs the second stage refuses."""
        rows, columns, scores = self._first_stage(other, threshold, blocking)
        if check and len(rows):
            keep = ~self.contradicts(other, rows, columns)
            rows, columns, scores = rows[keep], columns[keep], scores[keep]
        return rows, columns, scores

    def _first_stage(
        self, other: "EncodingIndex", threshold: float, blocking: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    check: bool = True,
) -> list[Match]:
    """Every pair (i, j, Dice) of new[i] and existing[j] at Dice >= threshold, best first.

    With `blocking` (the default) only pairs sharing an LSH band are scored; the
    hub's hit / no-hit uses this. Without, every pair is scored (for tests and
    benchmarks of blocking recall). With `check` (the default), pairs whose check
    segments disagree (`check_contradicts`) are left out, as the hub does.
    """
    _check_threshold(threshold)
    check_key_ids([*new, *existing])
    rows, columns, scores = EncodingIndex.build(new, schema).matches(
        EncodingIndex.build(existing, schema), threshold, blocking=blocking, check=check
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

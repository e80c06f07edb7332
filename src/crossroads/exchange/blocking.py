"""Blocking for the hub: which encodings are compared at all.

Hamming locality-sensitive hashing over the encoding itself: each of `band_count`
bands reads `band_bits` fixed positions of the filter, and two encodings are compared
when they agree on every position of at least one band. A pair whose filters differ
in a share p of their bits meets in a band with probability (1 - p)^band_bits, so
close pairs (the same person) almost always meet in some band while unrelated pairs
(p near 1/2 after diffusion) rarely do.

The positions are public (derived from the schema id, no secret): a blocking key is a
function of the filter the hub already holds, so it tells the hub nothing the filter
does not. Keyed hashes of plaintext blocking values (surname, year) were rejected:
their equality classes are plaintext frequency tables (the most frequent key is the
most frequent surname), the very thing the encoding hardens against.
"""

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from crossroads.exchange.encoding import Schema


@lru_cache(maxsize=8)
def band_positions(schema: "Schema") -> np.ndarray:
    """(band_count, band_bits) filter positions; bands are disjoint while the filter
    is long enough, so they fail independently."""
    seed = int.from_bytes(hashlib.sha256(f"{schema.id}/bands".encode()).digest()[:16], "big")
    rng = np.random.default_rng(seed)
    needed = schema.band_count * schema.band_bits
    if needed <= schema.length:
        return rng.permutation(schema.length)[:needed].reshape(schema.band_count, schema.band_bits)
    return np.stack(
        [rng.choice(schema.length, schema.band_bits, replace=False) for _ in range(schema.band_count)]
    )


def band_values(packed: np.ndarray, schema: "Schema") -> np.ndarray:
    """(n, band_count) uint64: the bits each filter has in each band, as a number."""
    bits = np.unpackbits(packed, axis=1)[:, band_positions(schema)]
    powers = np.left_shift(np.uint64(1), np.arange(schema.band_bits, dtype=np.uint64))
    return (bits.astype(np.uint64) * powers).sum(axis=2, dtype=np.uint64)


def band_keys(values: np.ndarray, schema: "Schema") -> np.ndarray:
    """Blocking keys as integers, `band << band_bits | value`: unique across bands, so
    one indexed integer column holds them all (band_count * band_bits <= 63 bits)."""
    offsets = np.arange(schema.band_count, dtype=np.uint64) << np.uint64(schema.band_bits)
    return (values | offsets).astype(np.int64)


def blocking_keys(bits: bytes, schema: "Schema") -> tuple[int, ...]:
    """The blocking keys of one filter (the hub can recompute and check them)."""
    packed = np.frombuffer(bits, dtype=np.uint8).reshape(1, -1)
    return tuple(band_keys(band_values(packed, schema), schema)[0].tolist())


# Up to this many distinct keys (band_count << band_bits), the table is a direct
# address table (run start and length per key, 16 bytes a key) instead of binary search.
_DIRECT_KEYS = 1 << 24


class BandTable:
    """The blocking keys of the encodings the hub holds, grouped once, so that each new
    batch is joined against them without re-sorting them."""

    def __init__(self, keys: np.ndarray, key_space: int | None = None):
        """`keys`: (n, band_count) int64 blocking keys (`band_keys`), one row per
        encoding; `key_space`: the number of possible keys, if small enough to index."""
        self.size, self.bands = keys.shape if keys.ndim == 2 else (0, 0)
        flat = keys.ravel()
        order = np.argsort(flat, kind="stable")
        self.sorted = flat[order]
        self.owner = order // max(self.bands, 1)
        self.direct = key_space is not None and key_space <= _DIRECT_KEYS
        if key_space is not None:
            _check_range(flat, key_space)
        if self.direct:
            self.run_length = np.bincount(flat, minlength=key_space)
            self.run_start = np.cumsum(self.run_length) - self.run_length

    def _runs(self, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each needle's run of equal held keys starts in `sorted`, and its length."""
        if self.direct:
            _check_range(needles, len(self.run_length))
            return self.run_start[needles], self.run_length[needles]
        first = np.searchsorted(self.sorted, needles, side="left")
        return first, np.searchsorted(self.sorted, needles, side="right") - first

    def candidates(self, new_keys: np.ndarray, *, distinct: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Index arrays (i, j) of new rows and held rows that share a blocking key,
        ordered by i.

        One join over all bands at once: each new key's run of equal held keys is
        expanded. A close pair meets in many bands; with `distinct` the pairs are
        sorted and de-duplicated (np.unique hashes in numpy 2 and is many times
        slower), without it a pair comes once per band it shares, which is cheaper
        when only the few pairs above a threshold need de-duplicating.
        """
        empty = np.zeros(0, dtype=np.int64)
        if not new_keys.size or not self.size:
            return empty, empty
        first, counts = self._runs(new_keys.ravel())
        hits = np.flatnonzero(counts)
        if not len(hits):
            return empty, empty
        first, counts = first[hits], counts[hits]
        rows = hits // new_keys.shape[1]
        total = int(counts.sum())
        # Position within each run: a running index minus the run's start offset.
        within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        width = np.int64(self.size)
        codes = np.repeat(rows * width, counts) + self.owner[np.repeat(first, counts) + within]
        if distinct:
            codes = distinct_codes(codes)
        return codes // width, codes % width


def distinct_codes(codes: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted."""
    codes = np.sort(codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))]


def candidate_pairs(
    new_keys: np.ndarray, existing_keys: np.ndarray, schema: "Schema | None" = None
) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (i, j), each pair once, of new and existing rows sharing a blocking key.

    Both arguments are (n, band_count) arrays of `band_keys`, or of the encodings'
    `blocking_keys` as stored; with `schema`, keys outside its key space are refused."""
    return BandTable(existing_keys, key_space(schema) if schema else None).candidates(new_keys)


def _check_range(keys: np.ndarray, space: int) -> None:
    if keys.size and (keys.min() < 0 or keys.max() >= space):
        raise ValueError(f"blocking_keys: outside the schema's key space 0..{space - 1}")


def key_space(schema: "Schema") -> int:
    """How many distinct blocking keys the schema can produce."""
    return schema.band_count << schema.band_bits

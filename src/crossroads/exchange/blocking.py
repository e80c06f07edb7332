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


def candidate_pairs(new_bands: np.ndarray, existing_bands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (i, j), each pair once, of new and existing rows that share a band.

    A sort-merge join per band, all in numpy: sort the existing values once per band,
    find each new value's run with searchsorted, and expand the runs.
    """
    if not len(new_bands) or not len(existing_bands):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    codes = []
    width = np.int64(len(existing_bands))
    for band in range(new_bands.shape[1]):
        order = np.argsort(existing_bands[:, band], kind="stable")
        ordered = existing_bands[order, band]
        first = np.searchsorted(ordered, new_bands[:, band], side="left")
        last = np.searchsorted(ordered, new_bands[:, band], side="right")
        counts = last - first
        total = int(counts.sum())
        if not total:
            continue
        rows = np.repeat(np.arange(len(new_bands), dtype=np.int64), counts)
        # Position within each run: a running index minus the run's start offset.
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        within = np.arange(total, dtype=np.int64) - starts
        columns = order[np.repeat(first, counts) + within]
        codes.append(rows * width + columns)
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # Sort and drop repeats (a close pair meets in many bands); sorted by new row, so
    # scoring reads each new filter's words while they are in cache. (np.unique hashes
    # in numpy 2, many times slower than this on integer codes.)
    merged = np.sort(np.concatenate(codes))
    unique = merged[np.concatenate(([True], merged[1:] != merged[:-1]))]
    return unique // width, unique % width

"""Differentially private counts with OpenDP. Pure functions, no Django.

**Privacy unit.** One victim record changed (bounded DP: the number of records is public, as
every table of the node publishes its total). OpenDP expresses the change of one record as a
symmetric distance of 2 between datasets (one removal plus one addition); a record that
contributes to K marginals moves the flattened vector of cell keys by at most 2K. The ε of a
release is OpenDP's privacy map at that distance (`measurement.map(2 * K)`), so it is exact,
not estimated, and bounds add/remove neighbours too (the map is monotone in the distance).

**Mechanism.** All marginals of a release are measured by one OpenDP measurement:
`make_count_by_categories` over the public cells of every marginal (numbered across the
marginals so that they are disjoint; each record gives one cell number per marginal),
chained with `then_laplace` (discrete Laplace on integer counts). Measuring K disjoint
histograms with one noise scale is the basic composition of K histograms, each getting ε / K;
the scale is 2K / ε, checked against OpenDP's privacy map at 2K (which must not exceed the
requested ε).

**Post-processing** (costs no privacy): negative noisy counts become 0; the synthesiser also
drops noisy counts below `scale * ln(cells)` (an empty cell exceeds it with probability
1 / (2 cells), so about one phantom value per conditional distribution survives).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import opendp.prelude as dp

# OpenDP 0.16 places every constructor used here (count_by_categories and the discrete
# Laplace mechanism) under the "contrib" feature flag: they are
# proven in the library's papers but not yet through its vetting process. Nothing else of
# contrib is used, and no "honest-but-curious" or "floating-point" flag is enabled.
dp.enable_features("contrib")

SUBSTITUTION = 2    # symmetric distance of changing one record


@dataclass
class Measured:
    """Noisy counts of each marginal: `counts[i][cell values] = count >= 0`."""

    marginals: list[tuple[str, ...]]
    counts: list[dict[tuple[str, ...], int]]
    epsilon: float
    scale: float


def _cells(marginal: Sequence[str], domain: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    cells: list[tuple[str, ...]] = [()]
    for column in marginal:
        cells = [(*cell, value) for cell in cells for value in domain[column]]
    return cells


def _measurement(n_categories: int, scale: float):
    counts = dp.t.make_count_by_categories(
        dp.vector_domain(dp.atom_domain(T=dp.i32)), dp.symmetric_distance(),
        categories=list(range(n_categories)), null_category=False)
    return counts >> dp.m.then_laplace(scale=scale)


def _cell_numbers(rows, marginals, domain) -> np.ndarray:
    """Each row's cell in each marginal, numbered across all marginals (category ids)."""
    codes = {c: np.fromiter((index[row[c]] for row in rows), np.int32, len(rows))
             for c, index in ((c, {v: i for i, v in enumerate(domain[c])})
                              for c in {c for m in marginals for c in m})}
    numbers, offset = [], 0
    for marginal in marginals:
        cell = np.zeros(len(rows), np.int32)
        for column in marginal:  # mixed radix, in the order of `_cells`
            cell = cell * len(domain[column]) + codes[column]
        numbers.append(cell + offset)
        offset += math.prod(len(domain[c]) for c in marginal)
    return np.stack(numbers, axis=1).ravel() if numbers else np.zeros(0, np.int32)


def measure(rows: Sequence[Mapping[str, str]], marginals: Sequence[Sequence[str]],
            domain: Mapping[str, Sequence[str]], epsilon: float) -> Measured:
    """Noisy counts of every marginal of `rows` (values inside `domain`) for a total ε."""
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError("epsilon must be a positive number")
    marginals = [tuple(m) for m in marginals]
    cells = [_cells(m, domain) for m in marginals]
    n_categories = sum(map(len, cells))
    d_in = SUBSTITUTION * len(marginals)
    # The Laplace map is d_in / scale; OpenDP's own map is then checked (and the scale nudged
    # up should floating-point rounding put it a hair above the request).
    scale = d_in / epsilon
    measurement = _measurement(n_categories, scale)
    while measurement.map(d_in) > epsilon:
        scale = math.nextafter(scale, math.inf)
        measurement = _measurement(n_categories, scale)
    noisy = measurement(_cell_numbers(rows, marginals, domain))
    counts: list[dict] = [{} for _ in marginals]
    position = 0
    for i, m_cells in enumerate(cells):
        for cell in m_cells:
            counts[i][cell] = max(int(noisy[position]), 0)
            position += 1
    return Measured(marginals=marginals, counts=counts, epsilon=float(measurement.map(d_in)),
                    scale=float(scale))


# ---------------------------------------------------------------------------- tables


def noisy_table(counts: Mapping[tuple[str, str], int], rows: Sequence[str], columns: Sequence[str]):
    """A measured two-way marginal as (row values, column values, matrix), dropping the rows
    and columns whose noisy counts are all zero (post-processing)."""
    kept_rows = [r for r in rows if any(counts[(r, c)] for c in columns)]
    kept_columns = [c for c in columns if any(counts[(r, c)] for r in kept_rows)]
    return kept_rows, kept_columns, [[counts[(r, c)] for c in kept_columns] for r in kept_rows]


# ---------------------------------------------------------------------------- synthetic data


def star_marginals(columns: Sequence[str], centre: str) -> list[tuple[str, str]]:
    """Two-way marginals of the centre column with each other column (a public tree)."""
    return [(centre, c) for c in columns if c != centre]


def _threshold(weights: np.ndarray, scale: float) -> np.ndarray:
    cut = scale * math.log(max(len(weights), 2))
    return np.where(weights >= cut, weights, 0)


def _allocate(weights: np.ndarray, n: int) -> np.ndarray:
    """n split in proportion to `weights` by largest remainder (sums to n exactly)."""
    if weights.sum() <= 0:
        weights = np.ones_like(weights)
    share = weights / weights.sum() * n
    counts = np.floor(share).astype(int)
    remainder = n - counts.sum()
    if remainder:
        counts[np.argsort(-(share - counts), kind="stable")[:remainder]] += 1
    return counts


def synthesise(measured: Measured, domain: Mapping[str, Sequence[str]], n: int,
               seed: int | None = None) -> list[dict[str, str]]:
    """`n` rows sampled from a star of measured two-way marginals (`star_marginals`): the
    centre column is allocated by the inverse-variance weighted mean of its noisy totals in
    every marginal, then each other column is drawn from its noisy distribution given the
    centre value. Pure post-processing of `measured`: it spends no privacy."""
    rng = np.random.default_rng(seed)
    centre = measured.marginals[0][0]
    if any(m[0] != centre or len(m) != 2 for m in measured.marginals):
        raise ValueError("the marginals must form a star on one column")
    centre_values = list(domain[centre])
    totals, weights = np.zeros(len(centre_values)), 0.0
    for (_c, other), counts in zip(measured.marginals, measured.counts, strict=True):
        width = len(domain[other])  # the variance of a noisy total grows with its cells
        totals += np.array([sum(counts[(v, o)] for o in domain[other]) for v in centre_values]) / width
        weights += 1 / width
    per_centre = _allocate(np.maximum(totals / weights, 0), n)
    rows: list[dict[str, str]] = []
    for index, value in enumerate(centre_values):
        size = int(per_centre[index])
        if not size:
            continue
        block: dict[str, list[str]] = {centre: [value] * size}
        for (_c, other), counts in zip(measured.marginals, measured.counts, strict=True):
            values = list(domain[other])
            given = _threshold(np.array([counts[(value, o)] for o in values], float), measured.scale)
            if given.sum() <= 0:  # nothing survived: the column's distribution over all centres
                given = _threshold(np.array([sum(counts[(v, o)] for v in centre_values)
                                             for o in values], float), measured.scale)
            if given.sum() <= 0:
                given = np.ones(len(values))
            block[other] = list(rng.choice(values, size=size, p=given / given.sum()))
        rows.extend(dict(zip(block, combo, strict=True)) for combo in zip(*block.values(), strict=True))
    order = rng.permutation(len(rows))  # no grouping by the centre value in the file
    return [rows[i] for i in order]

"""Differentially private counts with OpenDP. Pure functions, no Django.

**Privacy unit.** One person changed: a victim, however many exploitation records or cases
they have. The caller bounds each person's contribution first (`bounded`: at most C rows per
person, the person's earliest; C is `rows_per_unit`, 1 by default, so a person counts once);
the number of rows is public (bounded DP), as every table of the node publishes its total.
OpenDP expresses the change of one row as a symmetric distance of 2 between datasets (one
removal plus one addition), so changing one person moves the rows by at most 2C and, over K
marginals, the flattened vector of cell keys by at most 2CK. The ε of a release is OpenDP's
privacy map at that distance (`measurement.map(2 * C * K)`), so it is exact, not estimated,
and bounds add/remove neighbours too (the map is monotone in the distance). Without the bound a
person with many records would move a count by their number of records, more than the noise
was scaled for.

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
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import opendp.prelude as dp

# OpenDP 0.16 places every constructor used here (count_by_categories and the discrete
# Laplace mechanism) under the "contrib" feature flag: they are
# proven in the library's papers but not yet through its vetting process. Nothing else of
# contrib is used, and no "honest-but-curious" or "floating-point" flag is enabled.
dp.enable_features("contrib")

SUBSTITUTION = 2    # symmetric distance of changing one row


def bounded(rows: Sequence[Mapping], unit: Callable[[Mapping], object],
            rows_per_unit: int) -> list[Mapping]:
    """At most `rows_per_unit` rows of each privacy unit (`unit(row)`: the person), the first
    ones in the order given: the contribution bound every measurement below relies on."""
    if rows_per_unit < 1:
        raise ValueError("each person contributes at least one row")
    seen: Counter = Counter()
    kept = []
    for row in rows:
        key = unit(row)
        if seen[key] < rows_per_unit:
            seen[key] += 1
            kept.append(row)
    return kept


@dataclass
class Measured:
    """Noisy counts of each marginal: `counts[i][cell values] = count >= 0`."""

    marginals: list[tuple[str, ...]]
    counts: list[dict[tuple[str, ...], int]]
    epsilon: float
    scale: float
    # the same before negatives became 0: their sums are unbiased (a sum of clamped cells
    # grows by about scale / 2 for every empty cell, which flattens a synthetic column)
    raw: list[dict[tuple[str, ...], int]] | None = None


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
            domain: Mapping[str, Sequence[str]], epsilon: float, *,
            rows_per_unit: int = 1) -> Measured:
    """Noisy counts of every marginal of `rows` (values inside `domain`) for a total ε, each
    person contributing at most `rows_per_unit` of the rows (`bounded`)."""
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError("epsilon must be a positive number")
    marginals = [tuple(m) for m in marginals]
    cells = [_cells(m, domain) for m in marginals]
    n_categories = sum(map(len, cells))
    d_in = SUBSTITUTION * rows_per_unit * len(marginals)
    # The Laplace map is d_in / scale; OpenDP's own map is then checked (and the scale nudged
    # up should floating-point rounding put it a hair above the request).
    scale = d_in / epsilon
    measurement = _measurement(n_categories, scale)
    while measurement.map(d_in) > epsilon:
        scale = math.nextafter(scale, math.inf)
        measurement = _measurement(n_categories, scale)
    noisy = measurement(_cell_numbers(rows, marginals, domain))
    raw: list[dict] = [{} for _ in marginals]
    position = 0
    for i, m_cells in enumerate(cells):
        for cell in m_cells:
            raw[i][cell] = int(noisy[position])
            position += 1
    counts = [{cell: max(n, 0) for cell, n in found.items()} for found in raw]
    return Measured(marginals=marginals, counts=counts, epsilon=float(measurement.map(d_in)),
                    scale=float(scale), raw=raw)


# ---------------------------------------------------------------------------- tables


def noisy_table(counts: Mapping[tuple[str, str], int], rows: Sequence[str], columns: Sequence[str]):
    """A measured two-way marginal as (row values, column values, matrix), dropping the rows
    and columns whose noisy counts are all zero (post-processing)."""
    kept_rows = [r for r in rows if any(counts[(r, c)] for c in columns)]
    kept_columns = [c for c in columns if any(counts[(r, c)] for r in kept_rows)]
    return kept_rows, kept_columns, [[counts[(r, c)] for c in kept_columns] for r in kept_rows]


# ---------------------------------------------------------------------------- synthetic data
#
# Which two-way marginals to measure is chosen privately, after MST (McKenna, Miklau and
# Sheldon, "Winning the NIST Contest", 2021): the one-way marginals are measured first; then
# a spanning tree of the columns is grown edge by edge (Kruskal), each edge picked by OpenDP's
# noisy max among the pairs joining two parts of the forest, scored by how badly the product
# of the measured one-way marginals explains the pair's true two-way marginal (L1 distance:
# changing one row moves it by at most 2, one person by 2C); then the tree's two-way
# marginals are measured and rows are sampled along the tree from the root. The budget is split ONE_WAY_SHARE,
# SELECTION_SHARE and the rest; the ε of each part is OpenDP's privacy map.

ONE_WAY_SHARE, SELECTION_SHARE = 0.25, 0.25
SCORE_SENSITIVITY = 2.0


@dataclass
class Tree:
    """A privately chosen tree of two-way marginals, oriented from its root, with the ε spent
    on choosing it (its one-way marginals included)."""

    edges: list[tuple[str, str]]     # (parent, child), parents before their children
    one_way: Measured
    selection_epsilon: float

    @property
    def epsilon(self) -> float:
        return self.one_way.epsilon + self.selection_epsilon


def star_marginals(columns: Sequence[str], centre: str) -> list[tuple[str, str]]:
    """Two-way marginals of the centre column with each other column (a public tree)."""
    return [(centre, c) for c in columns if c != centre]


def _noisy_max(scores: Sequence[float], epsilon: float,
               sensitivity: float) -> tuple[int, float]:
    """The index OpenDP's noisy max picks among scores of the given sensitivity, and the ε it
    spent (its privacy map, at most `epsilon`). The map is proportional to 1 / scale."""
    space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.linf_distance(T=float)

    def mechanism(scale):
        return dp.m.make_noisy_max(*space, dp.max_divergence(), scale=scale)

    scale = mechanism(1.0).map(sensitivity) / epsilon
    while mechanism(scale).map(sensitivity) > epsilon:
        scale = math.nextafter(scale, math.inf)
    chosen = mechanism(scale)
    return int(chosen([float(x) for x in scores])), float(chosen.map(sensitivity))


def _codes(rows, column: str, domain) -> np.ndarray:
    index = {v: i for i, v in enumerate(domain[column])}
    return np.fromiter((index[row[column]] for row in rows), np.int64, len(rows))


def _shares(counts: Mapping[tuple[str, ...], int], values: Sequence[str]) -> np.ndarray:
    weights = np.array([counts[(v,)] for v in values], float)
    return weights / weights.sum() if weights.sum() > 0 else np.full(len(values), 1 / len(values))


def choose_tree(rows: Sequence[Mapping[str, str]], columns: Sequence[str],
                domain: Mapping[str, Sequence[str]], root: str, *, one_way_epsilon: float,
                selection_epsilon: float, rows_per_unit: int = 1) -> Tree:
    """Measure the one-way marginals (at `one_way_epsilon`) and pick a spanning tree of
    `columns` privately (`selection_epsilon` over its edges), oriented from `root`; each
    person contributes at most `rows_per_unit` of the rows (`bounded`)."""
    columns = list(columns)
    one_way = measure(rows, [(c,) for c in columns], domain, one_way_epsilon,
                      rows_per_unit=rows_per_unit)
    shares = {c: _shares(counts, domain[c]) for c, counts in
              zip(columns, one_way.counts, strict=True)}
    codes = {c: _codes(rows, c, domain) for c in columns}
    n = len(rows)

    def score(a, b):
        width = len(domain[b])
        truth = np.bincount(codes[a] * width + codes[b], minlength=len(domain[a]) * width)
        return float(np.abs(truth - n * np.outer(shares[a], shares[b]).ravel()).sum())

    scores = {(a, b): score(a, b) for i, a in enumerate(columns) for b in columns[i + 1:]}
    part = {c: c for c in columns}

    def find(c):
        while part[c] != c:
            c = part[c]
        return c

    chosen, spent = [], 0.0
    per_edge = selection_epsilon / max(len(columns) - 1, 1)
    for _round in range(len(columns) - 1):
        candidates = [pair for pair in scores if find(pair[0]) != find(pair[1])]
        picked, used = _noisy_max([scores[pair] for pair in candidates], per_edge,
                                  SCORE_SENSITIVITY * rows_per_unit)
        a, b = candidates[picked]
        part[find(a)] = find(b)
        chosen.append((a, b))
        spent += used
    return Tree(_oriented(chosen, root), one_way, spent)


def _oriented(edges: Sequence[tuple[str, str]], root: str) -> list[tuple[str, str]]:
    """The tree's edges as (parent, child), breadth first from the root."""
    oriented, reached, queue = [], {root}, [root]
    while queue:
        parent = queue.pop(0)
        for a, b in edges:
            child = b if a == parent else a if b == parent else None
            if child is not None and child not in reached:
                oriented.append((parent, child))
                reached.add(child)
                queue.append(child)
    return oriented


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


def _given(counts, parent_value, parent_values, values, scale) -> np.ndarray:
    """The noisy distribution of a child given its parent's value (thresholded), falling back
    to the child's distribution over every parent value, then to uniform."""
    given = _threshold(np.array([counts[(parent_value, o)] for o in values], float), scale)
    if given.sum() <= 0:
        given = _threshold(np.array([sum(counts[(v, o)] for v in parent_values)
                                     for o in values], float), scale)
    return given if given.sum() > 0 else np.ones(len(values))


def synthesise(measured: Measured, domain: Mapping[str, Sequence[str]], n: int,
               seed: int | None = None) -> list[dict[str, str]]:
    """`n` rows sampled along a tree of measured two-way marginals, given as (parent, child)
    with every parent the root or an earlier child (a star is such a tree): the root column is
    allocated by the inverse-variance weighted mean of its noisy totals in the marginals it is
    the parent of (sums of the noisy counts before negatives became 0, so unbiased), then
    each child is drawn from its noisy distribution given its parent's
    value in the row. Pure post-processing of `measured`: it spends no privacy."""
    rng = np.random.default_rng(seed)
    root = measured.marginals[0][0]
    placed = {root}
    for parent, child in measured.marginals:
        if parent not in placed or child in placed:
            raise ValueError("the marginals must form a tree, parents before children")
        placed.add(child)
    root_values = list(domain[root])
    totals, weights = np.zeros(len(root_values)), 0.0
    for (parent, other), counts in zip(measured.marginals, measured.raw or measured.counts,
                                       strict=True):
        if parent == root:  # the variance of a noisy total grows with its cells
            width = len(domain[other])
            totals += np.array([sum(counts[(v, o)] for o in domain[other])
                                for v in root_values]) / width
            weights += 1 / width
    per_root = _allocate(np.maximum(totals / weights, 0), n)
    columns = {root: np.repeat(np.array(root_values, dtype=object), per_root)}
    for (parent, child), counts in zip(measured.marginals, measured.counts, strict=True):
        values = list(domain[child])
        drawn = np.empty(n, dtype=object)
        for value in domain[parent]:
            where = np.flatnonzero(columns[parent] == value)
            if where.size:
                given = _given(counts, value, domain[parent], values, measured.scale)
                drawn[where] = rng.choice(np.array(values, dtype=object), size=where.size,
                                          p=given / given.sum())
        columns[child] = drawn
    order = rng.permutation(n)  # no grouping by the root value in the file
    names = list(columns)
    return [dict(zip(names, (columns[c][i] for c in names), strict=True)) for i in order]

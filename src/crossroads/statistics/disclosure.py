"""Statistical disclosure control for released figures. Pure functions, no Django.

Two methods:

* **Tables** (`suppress_table`): small-cell suppression of a contingency table with its
  margins. Cells with 1..threshold-1 cases are suppressed (primary suppression; zeros are not
  sensitive). Because the row and column totals stay published, a row or column holding a
  single suppressed cell would give it away (total minus the visible cells), so every row and
  column that holds a suppressed cell gets at least two, by suppressing the smallest further
  cells (secondary suppression), repeated until nothing changes.
* **Microdata** (`k_anonymise`): every combination of values of the released columns (all of
  them are quasi-identifiers) must occur at least k times (k = 11 as in the CTDC global
  dataset). Columns are generalised along hierarchies (age band -> broader band ->
  adult/minor; year -> 2-year -> 3-year range; country -> region; form -> sexual / labour /
  other; then "*") while that lowers the records still at risk, and the records left in
  classes smaller than k are suppressed; the result reports the suppression rate.

`is_k_anonymous` checks a release by counting, independently of the anonymiser.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SUPPRESSED = None  # how a suppressed cell appears in a released table
ANY = "*"          # the top of every hierarchy: the value is not released

# ---------------------------------------------------------------------------- tables


@dataclass
class SuppressedTable:
    cells: list[list[int | None]]          # None where suppressed
    row_totals: list[int]
    column_totals: list[int]
    total: int
    primary: set[tuple[int, int]] = field(default_factory=set)
    secondary: set[tuple[int, int]] = field(default_factory=set)

    @property
    def suppressed(self) -> set[tuple[int, int]]:
        return self.primary | self.secondary


def suppress_table(table: Sequence[Sequence[int]], threshold: int = 5) -> SuppressedTable:
    """Suppress the cells of `table` (rows x columns of counts) below `threshold`, then
    enough further cells that no suppressed cell follows from the margins of its row or
    column. Margins are computed from the unsuppressed table and published whole."""
    counts = [list(map(int, row)) for row in table]
    n_cols = len(counts[0]) if counts else 0
    if any(len(row) != n_cols for row in counts):
        raise ValueError("all rows must have the same number of columns")
    if any(value < 0 for row in counts for value in row):
        raise ValueError("counts cannot be negative")
    primary = {(i, j) for i, row in enumerate(counts) for j, value in enumerate(row)
               if 0 < value < threshold}
    suppressed = set(primary)

    def lines():
        for i in range(len(counts)):
            yield [(i, j) for j in range(n_cols)]
        for j in range(n_cols):
            yield [(i, j) for i in range(len(counts))]

    changed = True
    while changed:
        changed = False
        for line in lines():
            hidden = [cell for cell in line if cell in suppressed]
            if len(hidden) != 1:
                continue
            candidates = [cell for cell in line if cell not in suppressed]
            if not candidates:
                continue  # a line of one cell: its total is the cell (see `safe_margins`)
            # The smallest visible cell costs least information; a non-zero one is preferred,
            # since a suppressed zero next to a small cell is often guessed as structural.
            extra = min(candidates, key=lambda c: (counts[c[0]][c[1]] == 0,
                                                   counts[c[0]][c[1]], c))
            suppressed.add(extra)
            changed = True
    return SuppressedTable(
        cells=[[SUPPRESSED if (i, j) in suppressed else value for j, value in enumerate(row)]
               for i, row in enumerate(counts)],
        row_totals=[sum(row) for row in counts],
        column_totals=[sum(counts[i][j] for i in range(len(counts))) for j in range(n_cols)],
        total=sum(map(sum, counts)),
        primary=primary,
        secondary=suppressed - primary,
    )


def recoverable_cells(released: SuppressedTable) -> dict[tuple[int, int], int]:
    """What an attacker learns from the margins alone: repeatedly solve any row or column with
    exactly one hidden cell. Empty for a table from `suppress_table` (lines of two or more)."""
    cells = [list(row) for row in released.cells]
    learnt: dict[tuple[int, int], int] = {}
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    changed = True
    while changed:
        changed = False
        lines = [([(i, j) for j in range(n_cols)], released.row_totals[i]) for i in range(n_rows)]
        lines += [([(i, j) for i in range(n_rows)], released.column_totals[j]) for j in range(n_cols)]
        for line, total in lines:
            hidden = [(i, j) for i, j in line if cells[i][j] is SUPPRESSED]
            if len(hidden) == 1:
                i, j = hidden[0]
                cells[i][j] = total - sum(cells[a][b] for a, b in line if (a, b) != (i, j))
                learnt[(i, j)] = cells[i][j]
                changed = True
    return learnt


# ---------------------------------------------------------------------------- hierarchies

Level = Callable[[object], object]

AGE_BROADER = {"0--8": "0--17", "9--17": "0--17", "18--20": "18--29", "21--23": "18--29",
               "24--26": "18--29", "27--29": "18--29", "30--38": "30--47", "39--47": "30--47",
               "48+": "48+"}
MINOR_BANDS = {"0--8", "9--17"}
WESTERN_BALKANS = {"AL", "BA", "ME", "MK", "RS", "XK"}
EU = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
      "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
SEXUAL_FORMS = {"sexual"}
LABOUR_FORMS = {"forced_labour", "forced_begging", "forced_criminality"}
UNKNOWN = "Unknown"


def _known(level: Level) -> Level:
    """Blank or unknown values stay "Unknown" at every level below the top."""
    def apply(value):
        if value in (None, "", UNKNOWN):
            return UNKNOWN
        return level(value)
    return apply


def _identity(value):
    return value


def _top(_value):
    return ANY


def _year_range(width: int) -> Level:
    def apply(value):
        start = int(value) - int(value) % width
        return f"{start}--{start + width - 1}"
    return apply


AGE_HIERARCHY: list[Level] = [
    _known(_identity),
    _known(lambda band: AGE_BROADER.get(band, band)),
    _known(lambda band: "Minor" if band in MINOR_BANDS else "Adult"),
    _top,
]
YEAR_HIERARCHY: list[Level] = [_known(_identity), _known(_year_range(2)), _known(_year_range(3)), _top]
COUNTRY_HIERARCHY: list[Level] = [
    _known(_identity),
    _known(lambda c: "Western Balkans" if c in WESTERN_BALKANS else "EU" if c in EU else "Other"),
    _top,
]
FORM_HIERARCHY: list[Level] = [
    _known(_identity),
    _known(lambda f: "sexual" if f in SEXUAL_FORMS else "labour" if f in LABOUR_FORMS else "other"),
    _top,
]
FLAT_HIERARCHY: list[Level] = [_identity, _top]

# Hierarchies by column name for the columns of a CTDC-like release; others are flat.
DEFAULT_HIERARCHIES: dict[str, list[Level]] = {
    "age_band": AGE_HIERARCHY, "ageBroad": AGE_HIERARCHY,
    "year": YEAR_HIERARCHY, "yearOfRegistration": YEAR_HIERARCHY,
    "citizenship": COUNTRY_HIERARCHY, "country_of_exploitation": COUNTRY_HIERARCHY,
    "CountryOfExploitation": COUNTRY_HIERARCHY, "country": COUNTRY_HIERARCHY,
    "form": FORM_HIERARCHY,
}


# ---------------------------------------------------------------------------- microdata


@dataclass
class Anonymised:
    rows: list[dict]                    # the released rows (generalised, small classes removed)
    columns: list[str]
    levels: dict[str, int]              # generalisation level chosen per column (0 = as is)
    suppressed: int                     # records removed
    total: int                          # records in the input

    @property
    def suppression_rate(self) -> float:
        return self.suppressed / self.total if self.total else 0.0


class _Lattice:
    """The records as counts of their distinct combinations, with each column's hierarchy
    applied once per distinct value: a trial of levels then costs one pass over the
    combinations instead of one hierarchy call per record and column."""

    def __init__(self, rows, columns, hierarchies):
        self.columns = columns
        self.combinations = Counter(tuple(row.get(c) for c in columns) for row in rows)
        self.maps = []  # per column, per level: {value: generalised value}
        for index, column in enumerate(columns):
            values = {combo[index] for combo in self.combinations}
            self.maps.append([{v: level(v) for v in values} for level in hierarchies[column]])

    def classes(self, levels) -> Counter:
        maps = [self.maps[i][levels[c]] for i, c in enumerate(self.columns)]
        sizes: Counter = Counter()
        for combo, count in self.combinations.items():
            sizes[tuple(m[v] for m, v in zip(maps, combo, strict=True))] += count
        return sizes

    def at_risk(self, levels, k) -> int:
        return sum(n for n in self.classes(levels).values() if n < k)


def k_anonymise(rows: Iterable[Mapping], columns: Sequence[str], k: int = 11,
                hierarchies: Mapping[str, list[Level]] | None = None,
                max_suppression: float = 0.05) -> Anonymised:
    """Release `columns` of `rows` so that every combination of released values occurs at
    least `k` times. Greedy full-domain generalisation: while more than `max_suppression` of
    the records sit in classes smaller than k, raise the one column whose next level leaves
    the fewest records at risk; then suppress the records still at risk."""
    if k < 1:
        raise ValueError("k must be at least 1")
    rows = list(rows)
    columns = list(columns)
    chosen = {c: list((hierarchies or {}).get(c) or DEFAULT_HIERARCHIES.get(c) or FLAT_HIERARCHY)
              for c in columns}
    lattice = _Lattice(rows, columns, chosen)
    levels = dict.fromkeys(columns, 0)
    at_risk = lattice.at_risk(levels, k)
    while rows and at_risk > max_suppression * len(rows):
        options = []
        for c in columns:
            if levels[c] + 1 < len(chosen[c]):
                trial = {**levels, c: levels[c] + 1}
                options.append((lattice.at_risk(trial, k), levels[c], columns.index(c), c))
        if not options:
            break
        at_risk, _level, _index, column = min(options)
        levels[column] += 1
    sizes = lattice.classes(levels)
    maps = [lattice.maps[i][levels[c]] for i, c in enumerate(columns)]
    released = []
    for row in rows:
        key = tuple(m[row.get(c)] for m, c in zip(maps, columns, strict=True))
        if sizes[key] >= k:
            released.append(dict(zip(columns, key, strict=True)))
    return Anonymised(rows=released, columns=columns, levels=levels,
                      suppressed=len(rows) - len(released), total=len(rows))


def is_k_anonymous(rows: Iterable[Mapping], columns: Sequence[str], k: int) -> bool:
    """True when every combination of values of `columns` that occurs occurs at least k times
    (then so does every combination of a subset of them)."""
    counts = Counter(tuple(row.get(c) for c in columns) for row in rows)
    return all(n >= k for n in counts.values())

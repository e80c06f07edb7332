"""Disclosure control: table suppression with margins, k-anonymity of microdata."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from crossroads.statistics.disclosure import (
    SUPPRESSED,
    is_k_anonymous,
    k_anonymise,
    recoverable_cells,
    suppress_table,
)


def test_primary_suppression_alone_leaks_through_the_margin():
    table = [[20, 3, 15],
             [12, 9, 30]]
    released = suppress_table(table, threshold=5)
    assert released.primary == {(0, 1)}
    # With only the primary cell hidden, its row total gives it away: 38 - 20 - 15 = 3.
    leaky = suppress_table(table, threshold=5)
    leaky.cells = [[20, None, 15], [12, 9, 30]]
    assert recoverable_cells(leaky) == {(0, 1): 3}
    # Secondary suppression hides the smallest other cell of the row and of the column,
    # then what those need in turn, until no line has a single hidden cell.
    assert released.cells[0][1] is SUPPRESSED
    assert recoverable_cells(released) == {}
    assert (1, 1) in released.secondary          # column 1: 9 is the only other cell
    assert (0, 2) in released.secondary          # row 0: 15 is smaller than 20
    assert released.row_totals == [38, 51] and released.column_totals == [32, 12, 45]
    assert released.total == 89


def test_zeros_are_not_sensitive_and_small_cells_hide_in_pairs():
    table = [[0, 10, 12], [7, 2, 1], [8, 30, 40]]
    released = suppress_table(table)
    assert (0, 0) not in released.suppressed
    assert released.primary == {(1, 1), (1, 2)}
    assert recoverable_cells(released) == {}
    for i, row in enumerate(released.cells):
        hidden = [j for j, v in enumerate(row) if v is SUPPRESSED]
        assert len(hidden) != 1, i
    for j in range(3):
        hidden = [i for i in range(3) if released.cells[i][j] is SUPPRESSED]
        assert len(hidden) != 1, j


def test_threshold_is_configurable():
    table = [[3, 9], [10, 11]]
    assert suppress_table(table, threshold=3).suppressed == set()
    assert suppress_table(table, threshold=10).primary == {(0, 0), (0, 1)}


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6).flatmap(lambda cols: st.lists(
    st.lists(st.integers(0, 40), min_size=cols, max_size=cols), min_size=1, max_size=6)))
def test_no_suppressed_cell_follows_from_the_margins(table):
    released = suppress_table(table, threshold=5)
    small = {(i, j) for i, row in enumerate(table) for j, v in enumerate(row) if 0 < v < 5}
    assert small <= released.suppressed
    learnt = recoverable_cells(released)
    # Only a line that has no other cell left to hide (a one-column or one-row table) can leak.
    if len(table) > 1 and len(table[0]) > 1:
        assert learnt == {}


def random_microdata(rng, n):
    bands = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", ""]
    countries = ["AL", "RS", "XK", "MK", "BA", "ME", "IT", "DE", "GR", "TR", "UA", ""]
    forms = ["sexual", "forced_labour", "forced_begging", "forced_criminality", "forced_marriage",
             "other"]
    return [{"year": rng.randint(2015, 2024), "age_band": rng.choice(bands),
             "citizenship": rng.choice(countries), "form": rng.choice(forms),
             "gender": rng.choice("FMU")} for _ in range(n)]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(0, 600), k=st.sampled_from([2, 5, 11]),
       width=st.integers(1, 5))
def test_k_anonymise_passes_the_independent_verifier(seed, n, k, width):
    rows = random_microdata(random.Random(seed), n)
    columns = ["year", "age_band", "citizenship", "form", "gender"][:width]
    result = k_anonymise(rows, columns, k=k)
    assert is_k_anonymous(result.rows, columns, k)
    assert result.total == n and len(result.rows) == n - result.suppressed
    assert 0.0 <= result.suppression_rate <= 1.0


def test_generalisation_keeps_records_and_reports_the_suppression_rate():
    rows = random_microdata(random.Random(7), 2000)
    columns = ["year", "age_band", "citizenship", "form"]
    raw = k_anonymise(rows, columns, k=11, max_suppression=1.0)   # suppression only
    assert raw.levels == dict.fromkeys(columns, 0)
    generalised = k_anonymise(rows, columns, k=11, max_suppression=0.05)
    assert is_k_anonymous(raw.rows, columns, 11) and is_k_anonymous(generalised.rows, columns, 11)
    assert raw.suppression_rate > 0.5
    assert generalised.suppression_rate <= 0.05
    assert any(level > 0 for level in generalised.levels.values())
    # Released values come from the hierarchies: regions, bands, ranges or "*".
    values = {row["citizenship"] for row in generalised.rows}
    assert values <= {"AL", "RS", "XK", "MK", "BA", "ME", "IT", "DE", "GR", "TR", "UA", "Unknown",
                      "Western Balkans", "EU", "Other", "*"}


def test_hierarchy_levels():
    rows = [{"age_band": "9--17", "year": 2019, "citizenship": "XK", "form": "forced_begging"}] * 3
    rows += [{"age_band": "0--8", "year": 2020, "citizenship": "AL", "form": "forced_labour"}] * 3
    result = k_anonymise(rows, ["age_band", "year", "citizenship", "form"], k=6, max_suppression=0)
    assert result.suppressed == 0
    assert is_k_anonymous(result.rows, result.columns, 6)
    row = result.rows[0]
    assert row["age_band"] in {"0--17", "Minor", "*"}
    assert row["citizenship"] in {"Western Balkans", "*"}
    assert row["form"] in {"labour", "*"}


def test_verifier_counts_combinations():
    rows = [{"a": 1, "b": 2}] * 3 + [{"a": 1, "b": 3}] * 2
    assert is_k_anonymous(rows, ["a"], 5)
    assert not is_k_anonymous(rows, ["a", "b"], 3)
    assert is_k_anonymous(rows, ["a", "b"], 2)
    assert is_k_anonymous([], ["a"], 11)

"""Blocking: which pairs are compared at all.

A pair is scored when the two records share at least one blocking key. All keys are
built from folded features, so a change of script or orthography never separates two
records of one person; each rule leaves out a different field, so one typo or one
missing value cannot hide a pair from every rule.

The node stores `blocking_keys(record)` (hashed) per person and retrieves candidates
for a new record by key; batch runs give the same rules to Splink (`block_on`, in the backend's dialect), and
switch to tighter rules when an input is too large for the wide ones.

When even the tight rules would generate more than the budget (an input with little
diversity: one village's register, a file of repeated test records), `plan` caps the
blocks: a key whose block alone would yield more than a cap of pairs is dropped from
that rule, the cap being the largest of 10^6, 3·10^5, 10^5, ... 10 pairs that keeps the total
within budget. Pairs, and so memory and time, are then bounded by the budget whatever
the input; a pair inside an oversized block is still found through any other rule
whose block is small enough (see bench/linkage/RESULTS.md for the recall this keeps).
"""

from dataclasses import dataclass

import duckdb
import pyarrow as pa
from splink import block_on

from crossroads.linkage.records import to_features

Rules = tuple[tuple[str, tuple[str, ...]], ...]

# (rule name, feature columns that must all be present and equal)
WIDE_RULES: Rules = (
    ("names", ("name_pair",)),
    ("name-prefixes", ("name_prefix",)),
    ("family-year", ("family", "birth_year")),
    ("family-prefix-year", ("family_prefix", "birth_year")),
    ("given-year", ("given", "birth_year")),
    ("birthdate", ("birth_date",)),
    ("given-father", ("given", "father")),
    ("family-father", ("family", "father")),
    ("given-place", ("given", "birth_place")),
    ("family-place", ("family", "birth_place")),
    ("document", ("document",)),
)
# For inputs where the wide rules would produce more pairs than can be scored in
# time: every rule adds a field, at some cost in recall (see bench/linkage/RESULTS.md).
TIGHT_RULES: Rules = (
    ("names-year", ("name_pair", "birth_year")),
    ("names-place", ("name_pair", "birth_place")),
    ("names-father", ("name_pair", "father")),
    ("name-prefixes-year", ("name_prefix", "birth_year")),
    ("name-prefixes-place", ("name_prefix", "birth_place")),
    ("family-birthdate", ("family", "birth_date")),
    ("given-birthdate", ("given", "birth_date")),
    ("given-father-year", ("given", "father", "birth_year")),
    ("family-father-year", ("family", "father", "birth_year")),
    ("family-father-place", ("family", "father", "birth_place")),
    ("family-place-year", ("family", "birth_place", "birth_year")),
    ("given-place-year", ("given", "birth_place", "birth_year")),
    ("birthdate-place", ("birth_date", "birth_place")),
    ("document", ("document",)),
)
PAIR_BUDGET = 5_000_000
BLOCK_CAPS = (1_000_000, 300_000, 100_000, 30_000, 10_000, 3_000, 1_000, 300, 100, 30, 10)


def splink_rules(rules: Rules = WIDE_RULES, dialect: str = "duckdb") -> list[dict]:
    """The rules as Splink blocking rules written for `dialect`."""
    return [block_on(*columns).create_blocking_rule_dict(dialect) for _, columns in rules]


def _key_sql(columns: tuple[str, ...]) -> str:
    present = " AND ".join(f'"{column}" IS NOT NULL' for column in columns)
    quoted = ", ".join(f'"{column}"' for column in columns)
    return f"CASE WHEN {present} THEN hash({quoted}) END"


def _block_pairs(tables: int, columns: tuple[str, ...]) -> str:
    """SQL of (k, pairs): each block key of a rule and the pairs its block yields."""
    sizes = [
        f"SELECT {_key_sql(columns)} AS k, count(*) AS n FROM t{i} GROUP BY k HAVING k IS NOT NULL"  # noqa: S608
        for i in range(tables)
    ]
    if tables == 1:
        return f"SELECT k, n * (n - 1) // 2 AS pairs FROM ({sizes[0]})"  # noqa: S608
    return f"SELECT k, a.n * b.n AS pairs FROM ({sizes[0]}) a JOIN ({sizes[1]}) b USING (k)"  # noqa: S608


def _connection(tables: list[pa.Table]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for index, table in enumerate(tables):
        connection.register(f"t{index}", table)
    return connection


def _pairs_under_caps(connection, tables: int, rules: Rules) -> dict[int | None, int]:
    """Total pairs of the rules with no cap and under each of BLOCK_CAPS."""
    totals: dict[int | None, int] = dict.fromkeys((None, *BLOCK_CAPS), 0)
    for _, columns in rules:
        sums = ", ".join(f"sum(pairs) FILTER (WHERE pairs <= {cap})" for cap in BLOCK_CAPS)
        sql = f"SELECT sum(pairs), {sums} FROM ({_block_pairs(tables, columns)})"  # noqa: S608
        row = connection.execute(sql).fetchone()
        for cap, value in zip(totals, row, strict=True):
            totals[cap] += int(value or 0)
    return totals


def count_pairs(tables: list[pa.Table], rules: Rules) -> int:
    """Pairs the rules generate (counting a pair once per rule that finds it)."""
    connection = _connection(tables)
    try:
        return _pairs_under_caps(connection, len(tables), rules)[None]
    finally:
        connection.close()


@dataclass(frozen=True)
class BlockingPlan:
    """The rules of one batch run and, when blocks had to be capped, the cap and the
    tables with one hashed key column per rule (`block_0`, ...; null where dropped)."""

    rules: Rules
    cap: int | None
    tables: list[pa.Table]
    pairs: int

    def splink_rules(self, dialect: str = "duckdb") -> list[dict]:
        if self.cap is None:
            return splink_rules(self.rules, dialect)
        return [block_on(f"block_{i}").create_blocking_rule_dict(dialect) for i in range(len(self.rules))]

    @property
    def description(self) -> str:
        kind = "wide" if self.rules == WIDE_RULES else "tight"
        capped = f", blocks capped at {self.cap:,} pairs" if self.cap is not None else ""
        return f"{kind} rules{capped}, {self.pairs:,} pairs"


def plan(tables: list[pa.Table], budget: int = PAIR_BUDGET) -> BlockingPlan:
    """The wide rules if they fit `budget` pairs, else the tight ones, capped if need be."""
    connection = _connection(tables)
    try:
        for rules in (WIDE_RULES, TIGHT_RULES):
            totals = _pairs_under_caps(connection, len(tables), rules)
            if totals[None] <= budget:
                return BlockingPlan(rules, None, tables, totals[None])
        cap = next((c for c in BLOCK_CAPS if totals[c] <= budget), BLOCK_CAPS[-1])
        return BlockingPlan(TIGHT_RULES, cap, _capped(connection, tables, TIGHT_RULES, cap), totals[cap])
    finally:
        connection.close()


def _capped(connection, tables: list[pa.Table], rules: Rules, cap: int) -> list[pa.Table]:
    for i, (_, columns) in enumerate(rules):
        connection.execute(
            f"CREATE TEMP TABLE dropped_{i} AS SELECT k FROM ({_block_pairs(len(tables), columns)}) "  # noqa: S608
            f"WHERE pairs > {cap}"
        )
    capped = []
    for index in range(len(tables)):
        keys = ", ".join(
            f"CASE WHEN {key} IN (SELECT k FROM dropped_{i}) THEN NULL ELSE {key} END AS block_{i}"  # noqa: S608
            for i, key in enumerate(_key_sql(columns) for _, columns in rules)
        )
        capped.append(connection.sql(f"SELECT *, {keys} FROM t{index}").to_arrow_table())  # noqa: S608
    return capped


def choose_rules(tables: list[pa.Table], budget: int = PAIR_BUDGET) -> Rules:
    """The wide rules, unless they would generate more than `budget` pairs."""
    return plan(tables, budget).rules


def keys_of_features(features: dict, rules: Rules = WIDE_RULES) -> set[str]:
    keys = set()
    for name, columns in rules:
        values = [features.get(column) for column in columns]
        if all(value is not None for value in values):
            keys.add(name + ":" + "|".join(str(value) for value in values))
    return keys


def blocking_keys(record: dict) -> set[str]:
    """Keys under which `record` is found; two records sharing one are compared.

    Raises `records.BadRecord` when the record cannot be compared at all.
    """
    return keys_of_features(to_features(record))

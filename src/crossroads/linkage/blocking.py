"""Blocking: which pairs are compared at all.

A pair is scored when the two records share at least one blocking key. All keys are
built from folded features, so a change of script or orthography never separates two
records of one person; each rule leaves out a different field, so one typo or one
missing value cannot hide a pair from every rule.

The node stores `blocking_keys(record)` (hashed) per person and retrieves candidates
for a new record by key; batch runs give the same rules to Splink as SQL joins, and
switch to tighter rules when an input is too large for the wide ones.
"""

import duckdb
import pyarrow as pa

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


def rule_sql(rules: Rules = WIDE_RULES) -> list[str]:
    return [" AND ".join(f'l."{column}" = r."{column}"' for column in columns) for _, columns in rules]


def count_pairs(tables: list[pa.Table], rules: Rules) -> int:
    """Pairs the rules generate (counting a pair once per rule that finds it)."""
    connection = duckdb.connect()
    for index, table in enumerate(tables):
        connection.register(f"t{index}", table)
    total = 0
    for _, columns in rules:
        group = ", ".join(f'"{column}"' for column in columns)
        present = " AND ".join(f'"{column}" IS NOT NULL' for column in columns)
        sizes = [
            f"SELECT {group}, count(*) AS n FROM t{i} WHERE {present} GROUP BY {group}"  # noqa: S608
            for i in range(len(tables))
        ]
        if len(tables) == 1:
            sql = f"SELECT sum(n * (n - 1) / 2) FROM ({sizes[0]})"  # noqa: S608
        else:
            sql = (
                f"SELECT sum(a.n * b.n) FROM ({sizes[0]}) a JOIN ({sizes[1]}) b "  # noqa: S608
                f"USING ({group})"
            )
        total += int(connection.execute(sql).fetchall()[0][0] or 0)
    connection.close()
    return total


def choose_rules(tables: list[pa.Table], budget: int = PAIR_BUDGET) -> Rules:
    """The wide rules, unless they would generate more than `budget` pairs."""
    return WIDE_RULES if count_pairs(tables, WIDE_RULES) <= budget else TIGHT_RULES


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

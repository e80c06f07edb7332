"""Blocking: which pairs are compared at all.

A pair is scored when the two records share at least one blocking key. All keys are
built from folded features, so a change of script or orthography never separates two
records of one person; each rule leaves out a different field, so one typo or one
missing value cannot hide a pair from every rule.

The node stores `blocking_keys(record)` (hashed) per person and retrieves candidates
for a new record by key; batch runs give the same rules to Splink as SQL joins.
"""

from crossroads.linkage.records import to_features

# (rule name, feature columns that must all be present and equal)
BLOCKING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("names", ("name_pair",)),
    ("family-year", ("family", "birth_year")),
    ("birthdate", ("birth_date",)),
    ("given-father", ("given", "father")),
    ("family-father", ("family", "father")),
    ("document", ("document",)),
)


def blocking_rule_sql() -> list[str]:
    return [
        " AND ".join(f'l."{column}" = r."{column}"' for column in columns)
        for _, columns in BLOCKING_RULES
    ]


def keys_of_features(features: dict) -> set[str]:
    keys = set()
    for name, columns in BLOCKING_RULES:
        values = [features.get(column) for column in columns]
        if all(value is not None for value in values):
            keys.add(name + ":" + "|".join(str(value) for value in values))
    return keys


def blocking_keys(record: dict) -> set[str]:
    """Keys under which `record` is found; two records sharing one are compared.

    Raises `records.BadRecord` when the record cannot be compared at all.
    """
    return keys_of_features(to_features(record))

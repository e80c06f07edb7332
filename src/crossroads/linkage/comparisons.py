"""The model's comparisons: what counts as agreement, field by field.

Written as Splink settings dicts (SQL conditions over the `_l` / `_r` feature
columns) so that the trained model is plain JSON and runs on any Splink backend.
Every condition below uses only functions DuckDB and Spark SQL both provide.
Levels are listed from strongest agreement to none; the first that holds applies.
"""


def _null(column: str) -> dict:
    return {
        "sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
        "label_for_charts": "missing",
        "is_null_level": True,
    }


def _level(sql: str, label: str, tf_column: str | None = None) -> dict:
    level = {"sql_condition": sql, "label_for_charts": label}
    if tf_column:
        level["tf_adjustment_column"] = tf_column
        level["tf_adjustment_weight"] = 1.0
    return level


_ELSE = {"sql_condition": "ELSE", "label_for_charts": "different"}


def _jaro_winkler(column: str, threshold: float) -> dict:
    return _level(
        f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {threshold}',
        f"similar (Jaro-Winkler >= {threshold})",
    )


def _name_comparison(column: str, other: str, description: str) -> dict:
    """Names: exact (adjusted for how common the name is), swapped with the other name
    field (family name written first), then fuzzy."""
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [
            _null(column),
            _level(f'"{column}_l" = "{column}_r"', "same", tf_column=column),
            _level(
                f'"{column}_l" = "{other}_r" AND "{other}_l" = "{column}_r"',
                "same, given and family name swapped",
            ),
            _level(
                f'damerau_levenshtein("{column}_l", "{column}_r") <= 1',
                "one typo",
            ),
            _jaro_winkler(column, 0.92),
            _jaro_winkler(column, 0.8),
            _ELSE,
        ],
    }


def _father_comparison() -> dict:
    return {
        "output_column_name": "father",
        "comparison_description": "father's given name",
        "comparison_levels": [
            _null("father"),
            _level('"father_l" = "father_r"', "same"),
            _jaro_winkler("father", 0.9),
            _ELSE,
        ],
    }


def _birth_date_comparison() -> dict:
    """Dates at their recorded precision: a year-only date (estimated age) agrees with
    any full date in that year, and within one year counts as weaker agreement."""
    both_full = '"birth_date_l" IS NOT NULL AND "birth_date_r" IS NOT NULL'
    one_partial = '("birth_date_l" IS NULL OR "birth_date_r" IS NULL)'
    return {
        "output_column_name": "birth_date",
        "comparison_description": "date of birth at its recorded precision",
        "comparison_levels": [
            _null("birth_year"),
            _level('"birth_date_l" = "birth_date_r"', "same day"),
            _level(
                f'{both_full} AND "birth_year_l" = "birth_year_r" '
                'AND "birth_day_l" = "birth_month_r" AND "birth_month_l" = "birth_day_r"',
                "day and month swapped",
            ),
            _level(
                f'{both_full} AND damerau_levenshtein("birth_date_l", "birth_date_r") <= 1',
                "one digit different",
            ),
            _level(
                f'{one_partial} AND "birth_year_l" = "birth_year_r" '
                'AND ("birth_month_l" IS NULL OR "birth_month_r" IS NULL '
                'OR "birth_month_l" = "birth_month_r")',
                "agree at the coarser precision",
            ),
            _level(
                f'{both_full} AND damerau_levenshtein("birth_date_l", "birth_date_r") <= 2',
                "two digits different",
            ),
            _level(
                f'{one_partial} AND abs("birth_year_l" - "birth_year_r") <= 1',
                "estimated, within one year",
            ),
            _ELSE,
        ],
    }


def _exact_comparison(column: str, description: str) -> dict:
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [_null(column), _level(f'"{column}_l" = "{column}_r"', "same"), _ELSE],
    }


def _place_comparison() -> dict:
    return {
        "output_column_name": "birth_place",
        "comparison_description": "place of birth",
        "comparison_levels": [
            _null("birth_place"),
            _level('"birth_place_l" = "birth_place_r"', "same"),
            _jaro_winkler("birth_place", 0.88),
            _ELSE,
        ],
    }


def _document_comparison() -> dict:
    return {
        "output_column_name": "document",
        "comparison_description": "identity document number",
        "comparison_levels": [
            _null("document"),
            _level('"document_l" = "document_r"', "same"),
            _level('damerau_levenshtein("document_l", "document_r") <= 1', "one character off"),
            _ELSE,
        ],
    }


def _address_comparison() -> dict:
    overlap = (
        'len(list_intersect("address_tokens_l", "address_tokens_r")) '
        '/ greatest(len("address_tokens_l"), len("address_tokens_r"))'
    )
    return {
        "output_column_name": "address",
        "comparison_description": "address, word by word",
        "comparison_levels": [
            _null("address"),
            _level('"address_l" = "address_r"', "same"),
            _jaro_winkler("address", 0.95),
            _level(f"{overlap} >= 0.5", "half the words shared"),
            _level(f"{overlap} > 0", "some words shared"),
            _ELSE,
        ],
    }


def descriptions() -> dict[str, str]:
    """Human-readable name of each comparison, by output column name.

    Kept apart from the settings because Splink does not round-trip custom
    comparison descriptions through its JSON.
    """
    return {c["output_column_name"]: c["comparison_description"] for c in comparisons()}


def comparisons() -> list[dict]:
    return [
        _name_comparison("given", "family", "given name"),
        _name_comparison("family", "given", "family name"),
        _father_comparison(),
        _birth_date_comparison(),
        _exact_comparison("sex", "sex"),
        _place_comparison(),
        _exact_comparison("citizenship", "citizenship"),
        _document_comparison(),
        _address_comparison(),
    ]

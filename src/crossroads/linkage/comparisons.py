"""The model's comparisons: what counts as agreement, field by field.

Written as Splink settings dicts (SQL conditions over the `_l` / `_r` feature
columns) so that the trained model is plain JSON and runs on any Splink backend.
Levels are listed from strongest agreement to none; the first that holds applies.

Siblings and twins share family name, father, place and (twins) date of birth, so a
model that adds those up independently takes them for one person whose given name
changed; namesakes and cousins share given and family name and often place. Each of
those comparisons therefore has its own level for "the same, but the persons' own
identities disagree" (given names differ, or both birth dates are precise and years
apart), which EM weighs separately from plain agreement: a shared family, father or
place then says little, and the contradiction itself weighs strongly against.
A swap of given and family name is counted once, by the given-name comparison; the
family-name comparison treats it as neutral.
"""


def _jw(left: str, right: str) -> str:
    return f'jaro_winkler_similarity("{left}", "{right}")'


SWAPPED_NAMES = (
    f"{_jw('given_spelling_l', 'family_r')} >= 0.9 AND {_jw('family_l', 'given_spelling_r')} >= 0.9"
)
GIVEN_NAMES_DIFFER = (
    '"given_l" IS NOT NULL AND "given_r" IS NOT NULL AND "given_l" <> "given_r" '
    f"AND {_jw('given_spelling_l', 'given_spelling_r')} < 0.8 AND NOT ({SWAPPED_NAMES})"
)
# Both dates known to the day, years apart, and not one or two mistyped digits: two
# people, not one recorded with an error (estimated ages are never precise).
DATES_CONTRADICT = (
    '"birth_date_l" IS NOT NULL AND "birth_date_r" IS NOT NULL '
    'AND abs("birth_year_l" - "birth_year_r") >= 2 '
    'AND damerau_levenshtein("birth_date_l", "birth_date_r") > 2'
)
IDENTITY_DIFFERS = f"(({GIVEN_NAMES_DIFFER}) OR ({DATES_CONTRADICT}))"
_ELSE = {"sql_condition": "ELSE", "label_for_charts": "different"}


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


def _same(column: str) -> str:
    return f'"{column}_l" = "{column}_r"'


def _same_but_given_differs(column: str, what: str = "same") -> dict:
    return _level(f"({GIVEN_NAMES_DIFFER}) AND {_same(column)}", f"{what}, given names differ")


def _same_but_identity_differs(column: str) -> dict:
    return _level(f"{IDENTITY_DIFFERS} AND {_same(column)}", "same, but given names or birth dates disagree")


def _similar(left: str, threshold: float) -> dict:
    return _level(f"{_jw(left + '_l', left + '_r')} >= {threshold}", f"similar (Jaro-Winkler >= {threshold})")


def _given_comparison() -> dict:
    return {
        "output_column_name": "given",
        "comparison_description": "given name",
        "comparison_levels": [
            _null("given"),
            _level(_same("given"), "same", tf_column="given"),
            _level(SWAPPED_NAMES, "given and family name swapped"),
            _level('damerau_levenshtein("given_spelling_l", "given_spelling_r") <= 1', "one typo"),
            _similar("given_spelling", 0.92),
            _similar("given_spelling", 0.8),
            _ELSE,
        ],
    }


def _family_comparison() -> dict:
    return {
        "output_column_name": "family",
        "comparison_description": "family name",
        "comparison_levels": [
            _null("family"),
            _same_but_identity_differs("family"),
            _level(_same("family"), "same", tf_column="family"),
            {
                **_level(SWAPPED_NAMES, "given and family name swapped (counted with the given name)"),
                "is_null_level": True,
            },
            _level('damerau_levenshtein("family_l", "family_r") <= 1', "one typo"),
            _similar("family", 0.92),
            _similar("family", 0.8),
            _ELSE,
        ],
    }


def _father_comparison() -> dict:
    return {
        "output_column_name": "father",
        "comparison_description": "father's given name",
        "comparison_levels": [
            _null("father"),
            _same_but_identity_differs("father"),
            _level(_same("father"), "same"),
            _similar("father", 0.9),
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
            _same_but_given_differs("birth_date", "same day"),
            _level(_same("birth_date"), "same day"),
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
            _level(DATES_CONTRADICT, "both precise, years apart"),
            _ELSE,
        ],
    }


def _exact_comparison(column: str, description: str) -> dict:
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [_null(column), _level(_same(column), "same"), _ELSE],
    }


def _place_comparison() -> dict:
    return {
        "output_column_name": "birth_place",
        "comparison_description": "place of birth",
        "comparison_levels": [
            _null("birth_place"),
            _same_but_identity_differs("birth_place"),
            _level(_same("birth_place"), "same"),
            _similar("birth_place", 0.88),
            _ELSE,
        ],
    }


def _document_comparison() -> dict:
    return {
        "output_column_name": "document",
        "comparison_description": "identity document number",
        "comparison_levels": [
            _null("document"),
            _level(_same("document"), "same"),
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
            _level(_same("address"), "same"),
            _similar("address", 0.95),
            _level(f"{overlap} >= 0.5", "half the words shared"),
            _level(f"{overlap} > 0", "some words shared"),
            _ELSE,
        ],
    }


def comparisons() -> list[dict]:
    return [
        _given_comparison(),
        _family_comparison(),
        _father_comparison(),
        _birth_date_comparison(),
        _exact_comparison("sex", "sex"),
        _place_comparison(),
        _exact_comparison("citizenship", "citizenship"),
        _document_comparison(),
        _address_comparison(),
    ]


def descriptions() -> dict[str, str]:
    """Human-readable name of each comparison, by output column name.

    Kept apart from the settings because Splink does not round-trip custom
    comparison descriptions through its JSON.
    """
    return {c["output_column_name"]: c["comparison_description"] for c in comparisons()}

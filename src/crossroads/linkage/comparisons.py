"""The model's comparisons: what counts as agreement, field by field.

Written as Splink settings dicts (SQL conditions over the `_l` / `_r` feature columns)
so that the trained model is plain JSON and runs on any Splink backend. Levels are
listed from strongest agreement to none; the first that holds applies.

Siblings and twins share family name, father, place and (twins) date of birth, so a
model that adds those up independently takes them for one person whose given name
changed; namesakes and cousins share given and family name and often place. Each of
those comparisons therefore has its own level for "the same, but the persons' own
identities disagree" (given names differ, both birth dates are precise and years
apart, or the sexes differ: a brother Milija beside a sister Milosava), which EM
weighs separately from plain agreement: a shared family, father or place then says
little, and the contradiction itself weighs strongly against. A swap of given and
family name is counted once, by the given-name comparison; the family-name comparison
treats it as neutral.
"""

import json


def _jw(left: str, right: str) -> str:
    return f'jaro_winkler_similarity("{left}", "{right}")'


SWAPPED_NAMES = (
    f"{_jw('given_spelling_l', 'family_r')} >= 0.9 AND {_jw('family_l', 'given_spelling_r')} >= 0.9"
)
GIVEN_NAMES_DIFFER = (
    '"given_l" IS NOT NULL AND "given_r" IS NOT NULL AND "given_l" <> "given_r" '
    f"AND {_jw('given_spelling_l', 'given_spelling_r')} < 0.8 AND NOT ({SWAPPED_NAMES})"
)


def date_typo(edits: int) -> str:
    """Two full dates at most `edits` mistyped digits apart. Such dates share the year,
    month or day (checked first: it spares the edit distance for nearly every pair)."""
    shared_part = " OR ".join(f'"birth_{part}_l" = "birth_{part}_r"' for part in ("year", "month", "day"))
    return f'({shared_part}) AND damerau_levenshtein("birth_date_l", "birth_date_r") <= {edits}'


_BOTH_FULL = '"birth_date_l" IS NOT NULL AND "birth_date_r" IS NOT NULL'
# Both dates known to the day, years apart, and not one or two mistyped digits: two
# people, not one recorded with an error (estimated ages are never precise).
DATES_CONTRADICT = f'{_BOTH_FULL} AND abs("birth_year_l" - "birth_year_r") >= 2 AND NOT ({date_typo(2)})'
SEXES_DIFFER = '"sex_l" IS NOT NULL AND "sex_r" IS NOT NULL AND "sex_l" <> "sex_r"'
IDENTITY_DIFFERS = f"(({GIVEN_NAMES_DIFFER}) OR ({DATES_CONTRADICT}) OR ({SEXES_DIFFER}))"
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


_TWIN_LABEL = "same day, given names differ"
_FAMILY_LABEL = "same, but given name, birth date or sex disagree"


def _same_but_given_differs(column: str) -> dict:
    return _level(f"{_same(column)} AND ({GIVEN_NAMES_DIFFER})", _TWIN_LABEL)


def _same_but_identity_differs(column: str) -> dict:
    return _level(f"{_same(column)} AND {IDENTITY_DIFFERS}", _FAMILY_LABEL)


def for_prediction(settings: dict) -> dict:
    """Trained settings with each conditioned "same" level weighed as plain agreement.

    A "same" level that follows its "same, but the identities disagree" level holds
    only where given names (and dates, sexes) agree, so its trained u is the chance
    that two random records share the field *and* the given name, and its weight
    would count the given name a second time (a shared place among 151 then weighs
    15 bits instead of 7). Such a level gets the m and u of the field agreeing at
    all, the sum over both levels; the disagreeing level keeps its own, which is what
    tells siblings and twins apart. Applied once, to the settings a run predicts with.
    """
    settings = json.loads(json.dumps(settings))
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        for conditioned, agreeing in zip(levels, levels[1:], strict=False):
            if conditioned.get("label_for_charts") not in (_TWIN_LABEL, _FAMILY_LABEL):
                continue
            for key in ("m_probability", "u_probability"):
                if conditioned.get(key) is not None and agreeing.get(key) is not None:
                    agreeing[key] = conditioned[key] + agreeing[key]
    return settings


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
    both_full = _BOTH_FULL
    one_partial = '("birth_date_l" IS NULL OR "birth_date_r" IS NULL)'
    return {
        "output_column_name": "birth_date",
        "comparison_description": "date of birth at its recorded precision",
        "comparison_levels": [
            _null("birth_year"),
            _same_but_given_differs("birth_date"),
            _level(_same("birth_date"), "same day"),
            _level(
                f'{both_full} AND "birth_year_l" = "birth_year_r" '
                'AND "birth_day_l" = "birth_month_r" AND "birth_month_l" = "birth_day_r"',
                "day and month swapped",
            ),
            _level(
                f"{both_full} AND {date_typo(1)}",
                "one digit different",
            ),
            _level(
                f'{one_partial} AND "birth_year_l" = "birth_year_r" '
                'AND ("birth_month_l" IS NULL OR "birth_month_r" IS NULL '
                'OR "birth_month_l" = "birth_month_r")',
                "agree at the coarser precision",
            ),
            _level(
                f"{both_full} AND {date_typo(2)}",
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
            # One edit leaves the first or the last three characters as they were.
            _level(
                '(left("document_l", 3) = left("document_r", 3) '
                'OR right("document_l", 3) = right("document_r", 3)) '
                'AND damerau_levenshtein("document_l", "document_r") <= 1',
                "one character off",
            ),
            _ELSE,
        ],
    }


def _address_comparison() -> dict:
    shared = 'list_has_any("address_tokens_l", "address_tokens_r")'
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
            # Most random pairs share no word: the cheap test spares them the overlap.
            _level(f"{shared} AND {overlap} >= 0.5", "half the words shared"),
            _level(shared, "some words shared"),
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

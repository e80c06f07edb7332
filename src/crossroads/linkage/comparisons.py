"""The model's comparisons: what counts as agreement, field by field.

Built from Splink's comparison and comparison-level library (`splink.comparison_library`,
`splink.comparison_level_library`): each level is a creator that writes its SQL for
the backend's dialect (DuckDB, Spark), with the dialect's column quoting and function
names. A trained model is stored as JSON with its parameters; `for_dialect` gives it
the SQL of the backend a run uses. Levels are listed from strongest agreement to none;
the first that holds applies.

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
from collections.abc import Callable

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import ColumnExpression
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from crossroads.linkage.name_match import CLOSE, SIMILAR, SWAPPED

# Array functions Splink's dialects do not name: (any element shared, intersection, size).
_ARRAY_FUNCTIONS = {
    "duckdb": ("list_has_any", "list_intersect", "len"),
    "spark": ("arrays_overlap", "array_intersect", "size"),
}


class _Sql:
    """Column references and function calls in one dialect."""

    def __init__(self, dialect: SplinkDialect):
        self.dialect = dialect

    def _column(self, column: str) -> ColumnExpression:
        expression = ColumnExpression(column)
        expression.sql_dialect = self.dialect
        return expression

    def left(self, column: str) -> str:
        return self._column(column).name_l

    def right(self, column: str) -> str:
        return self._column(column).name_r

    def both(self, column: str) -> tuple[str, str]:
        return self.left(column), self.right(column)

    def same(self, column: str) -> str:
        return "{} = {}".format(*self.both(column))

    def jaro_winkler(self, left: str, right: str) -> str:
        return f"{self.dialect.jaro_winkler_function_name}({self.left(left)}, {self.right(right)})"

    def edits(self, column: str) -> str:
        return "{}({}, {})".format(self.dialect.damerau_levenshtein_function_name, *self.both(column))

    def array(self) -> tuple[str, str, str]:
        return _ARRAY_FUNCTIONS[self.dialect.sql_dialect_str]


class _Condition(ComparisonLevelCreator):
    """A level whose SQL is written per dialect by `build`, for conditions that Splink's
    library levels do not express (two columns crossed, dates by their parts)."""

    def __init__(self, build: Callable[[_Sql], str], label: str):
        self.build = build
        self.label = label

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        return self.build(_Sql(sql_dialect))

    def create_label_for_charts(self) -> str:
        return self.label


class _Comparison(cl.CustomComparison):
    """Splink's custom comparison, keeping its description (Splink 5 reports the class
    name instead)."""

    def create_description(self) -> str:
        return self._description


def _swapped_names(sql: _Sql) -> str:
    return (
        f"{sql.jaro_winkler('given_spelling', 'family')} >= {SWAPPED} "
        f"AND {sql.jaro_winkler('family', 'given_spelling')} >= {SWAPPED}"
    )


def _given_names_differ(sql: _Sql) -> str:
    given_l, given_r = sql.both("given")
    return (
        f"{given_l} IS NOT NULL AND {given_r} IS NOT NULL AND {given_l} <> {given_r} "
        f"AND {sql.jaro_winkler('given_spelling', 'given_spelling')} < {SIMILAR} "
        f"AND NOT ({_swapped_names(sql)})"
    )


def _date_typo(sql: _Sql, edits: int) -> str:
    """Two full dates at most `edits` mistyped digits apart. Such dates share the year,
    month or day (checked first: it spares the edit distance for nearly every pair)."""
    shared_part = " OR ".join(sql.same(f"birth_{part}") for part in ("year", "month", "day"))
    return f"({shared_part}) AND {sql.edits('birth_date')} <= {edits}"


def _both_full(sql: _Sql) -> str:
    return "{} IS NOT NULL AND {} IS NOT NULL".format(*sql.both("birth_date"))


def _one_partial(sql: _Sql) -> str:
    return "({} IS NULL OR {} IS NULL)".format(*sql.both("birth_date"))


def _years_apart(sql: _Sql) -> str:
    return "abs({} - {})".format(*sql.both("birth_year"))


def _dates_contradict(sql: _Sql) -> str:
    """Both dates known to the day, years apart, and not one or two mistyped digits: two
    people, not one recorded with an error (estimated ages are never precise)."""
    return f"{_both_full(sql)} AND {_years_apart(sql)} >= 2 AND NOT ({_date_typo(sql, 2)})"


def _sexes_differ(sql: _Sql) -> str:
    sex_l, sex_r = sql.both("sex")
    return f"{sex_l} IS NOT NULL AND {sex_r} IS NOT NULL AND {sex_l} <> {sex_r}"


def _identity_differs(sql: _Sql) -> str:
    return f"(({_given_names_differ(sql)}) OR ({_dates_contradict(sql)}) OR ({_sexes_differ(sql)}))"


def _else() -> ComparisonLevelCreator:
    return cll.ElseLevel().configure(label_for_charts="different")


def _null(column: str) -> ComparisonLevelCreator:
    return cll.NullLevel(column).configure(label_for_charts="missing")


def _same(column: str, tf: bool = False) -> ComparisonLevelCreator:
    level = cll.ExactMatchLevel(column).configure(label_for_charts="same")
    if tf:
        level.configure(tf_adjustment_column=column, tf_adjustment_weight=1.0)
    return level


def _typo(column: str, label: str = "one typo") -> ComparisonLevelCreator:
    return cll.DamerauLevenshteinLevel(column, 1).configure(label_for_charts=label)


def _similar(column: str, threshold: float) -> ComparisonLevelCreator:
    label = f"similar (Jaro-Winkler >= {threshold})"
    return cll.JaroWinklerLevel(column, threshold).configure(label_for_charts=label)


_TWIN_LABEL = "same day, given names differ"
_FAMILY_LABEL = "same, but given name, birth date or sex disagree"


def _same_but(column: str, condition: Callable[[_Sql], str], label: str) -> ComparisonLevelCreator:
    return _Condition(lambda sql: f"{sql.same(column)} AND ({condition(sql)})", label)


def _same_but_identity_differs(column: str) -> ComparisonLevelCreator:
    return _Condition(lambda sql: f"{sql.same(column)} AND {_identity_differs(sql)}", _FAMILY_LABEL)


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


def _given_comparison() -> _Comparison:
    return _Comparison(
        output_column_name="given",
        comparison_description="given name",
        comparison_levels=[
            _null("given"),
            _same("given", tf=True),
            _Condition(_swapped_names, "given and family name swapped"),
            _typo("given_spelling"),
            _similar("given_spelling", CLOSE),
            _similar("given_spelling", SIMILAR),
            _else(),
        ],
    )


def _family_comparison() -> _Comparison:
    swapped = _Condition(_swapped_names, "given and family name swapped (counted with the given name)")
    return _Comparison(
        output_column_name="family",
        comparison_description="family name",
        comparison_levels=[
            _null("family"),
            _same_but_identity_differs("family"),
            _same("family", tf=True),
            swapped.configure(is_null_level=True),
            _typo("family"),
            _similar("family", CLOSE),
            _similar("family", SIMILAR),
            _else(),
        ],
    )


def _father_comparison() -> _Comparison:
    return _Comparison(
        output_column_name="father",
        comparison_description="father's given name",
        comparison_levels=[
            _null("father"),
            _same_but_identity_differs("father"),
            _same("father"),
            _similar("father", 0.9),
            _else(),
        ],
    )


def _day_month_swapped(sql: _Sql) -> str:
    day_l, day_r = sql.both("birth_day")
    month_l, month_r = sql.both("birth_month")
    return f"{_both_full(sql)} AND {sql.same('birth_year')} AND {day_l} = {month_r} AND {month_l} = {day_r}"


def _coarser_agrees(sql: _Sql) -> str:
    month_l, month_r = sql.both("birth_month")
    return (
        f"{_one_partial(sql)} AND {sql.same('birth_year')} "
        f"AND ({month_l} IS NULL OR {month_r} IS NULL OR {month_l} = {month_r})"
    )


def _birth_date_comparison() -> _Comparison:
    """Dates at their recorded precision: a year-only date (estimated age) agrees with
    any full date in that year, and within one year counts as weaker agreement."""
    return _Comparison(
        output_column_name="birth_date",
        comparison_description="date of birth at its recorded precision",
        comparison_levels=[
            _null("birth_year"),
            _same_but("birth_date", _given_names_differ, _TWIN_LABEL),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="same day"),
            _Condition(_day_month_swapped, "day and month swapped"),
            _Condition(lambda sql: f"{_both_full(sql)} AND {_date_typo(sql, 1)}", "one digit different"),
            _Condition(_coarser_agrees, "agree at the coarser precision"),
            _Condition(lambda sql: f"{_both_full(sql)} AND {_date_typo(sql, 2)}", "two digits different"),
            _Condition(
                lambda sql: f"{_one_partial(sql)} AND {_years_apart(sql)} <= 1", "estimated, within one year"
            ),
            _Condition(_dates_contradict, "both precise, years apart"),
            _else(),
        ],
    )


def _exact_comparison(column: str, description: str) -> _Comparison:
    return _Comparison(
        output_column_name=column,
        comparison_description=description,
        comparison_levels=[_null(column), _same(column), _else()],
    )


def _place_comparison() -> _Comparison:
    return _Comparison(
        output_column_name="birth_place",
        comparison_description="place of birth",
        comparison_levels=[
            _null("birth_place"),
            _same_but_identity_differs("birth_place"),
            _same("birth_place"),
            _similar("birth_place", 0.88),
            _else(),
        ],
    )


def _document_off_by_one(sql: _Sql) -> str:
    """One edit leaves the first or the last three characters as they were."""
    document_l, document_r = sql.both("document")
    return (
        f"(left({document_l}, 3) = left({document_r}, 3) OR right({document_l}, 3) = right({document_r}, 3)) "
        f"AND {sql.edits('document')} <= 1"
    )


def _document_comparison() -> _Comparison:
    return _Comparison(
        output_column_name="document",
        comparison_description="identity document number",
        comparison_levels=[
            _null("document"),
            _same("document"),
            _Condition(_document_off_by_one, "one character off"),
            _else(),
        ],
    )


def _words_shared(sql: _Sql) -> str:
    has_any, _, _ = sql.array()
    return "{}({}, {})".format(has_any, *sql.both("address_tokens"))


def _half_the_words_shared(sql: _Sql) -> str:
    """Most random pairs share no word: the cheap test spares them the overlap."""
    _, intersect, size = sql.array()
    tokens_l, tokens_r = sql.both("address_tokens")
    longer = f"greatest({size}({tokens_l}), {size}({tokens_r}))"
    overlap = f"{size}({intersect}({tokens_l}, {tokens_r})) / {longer}"
    return f"{_words_shared(sql)} AND {overlap} >= 0.5"


def _address_comparison() -> _Comparison:
    return _Comparison(
        output_column_name="address",
        comparison_description="address, word by word",
        comparison_levels=[
            _null("address"),
            _same("address"),
            _Condition(_half_the_words_shared, "half the words shared"),
            _Condition(_words_shared, "some words shared"),
            _else(),
        ],
    )


def _comparison_creators() -> list[_Comparison]:
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


def comparisons(dialect: str = "duckdb") -> list[dict]:
    """The comparisons as Splink settings dicts with the SQL of `dialect`."""
    return [creator.create_comparison_dict(dialect) for creator in _comparison_creators()]


class ModelMismatch(ValueError):
    """A stored model whose comparison levels are not this version's."""


def for_dialect(settings: dict, dialect: str) -> dict:
    """`settings` (a trained model) with every level's SQL written for `dialect`.

    Levels are matched by comparison and position, and must carry the same labels:
    a model made with other comparisons is refused rather than mixed.
    """
    settings = json.loads(json.dumps(settings))
    fresh = {comparison["output_column_name"]: comparison for comparison in comparisons(dialect)}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        levels = fresh.get(name, {}).get("comparison_levels", [])
        stored = comparison["comparison_levels"]
        labels = [level.get("label_for_charts") for level in levels]
        if [level.get("label_for_charts") for level in stored] != labels:
            raise ModelMismatch(f"the model's comparison {name!r} does not match this version's levels")
        for level, new in zip(stored, levels, strict=True):
            level["sql_condition"] = new["sql_condition"]
    return settings


def descriptions() -> dict[str, str]:
    """Human-readable name of each comparison, by output column name.

    Kept apart from the settings because Splink does not round-trip custom
    comparison descriptions through its JSON.
    """
    return {c.create_output_column_name(): c.create_description() for c in _comparison_creators()}

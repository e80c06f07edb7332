"""Feature tables built column by column from a CSV file: the fast path for batches.

Registers repeat the same names, places and dates over and over, so each key function
runs once per distinct value (a few thousand for a million records) and the results
are spread back over the rows. The result equals `feature_table` over `to_features`
of every valid row (tests/linkage/test_columnar.py holds the two paths together).
"""

import csv
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from crossroads.linkage.csv_io import CsvLayoutError
from crossroads.linkage.database import FEATURE_SCHEMA
from crossroads.linkage.dates import parse_birth_date
from crossroads.linkage.records import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SEX_CODES,
    RecordError,
    fold_address,
)
from crossroads.names import (
    citizenship_key,
    document_key,
    family_name_key,
    given_name_key,
    given_spelling_key,
    place_key,
)

_HEADER_LINES = 1


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise CsvLayoutError(f"{path}: line 1: header lacks column(s) {', '.join(missing)}")
    return header


def _read_strings(path: Path, header: list[str]) -> pa.Table:
    wanted = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in header]
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=_HEADER_LINES),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                include_columns=wanted,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        raise CsvLayoutError(f"{path}: {error}") from None


def _per_value(column: pa.ChunkedArray, function: Callable, result_type: pa.DataType) -> pa.Array:
    """`function` applied to each distinct value of `column`, spread back over the rows."""
    encoded = column.combine_chunks().dictionary_encode()
    results = [function(value) for value in encoded.dictionary.to_pylist()]
    return pa.array(results, type=result_type).take(encoded.indices)


def _blank_to_null(array: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _key(table: pa.Table, column: str, function: Callable) -> pa.Array:
    if column not in table.column_names:
        return pa.nulls(table.num_rows, pa.string())
    return _blank_to_null(_per_value(table[column], function, pa.string()))


def _line_numbers(path: Path, rows: set[int]) -> dict[int, int]:
    """Physical line of each data row (quoted fields may span lines)."""
    lines = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for row_index, _ in enumerate(reader):
            if row_index in rows:
                lines[row_index] = reader.line_num
    return lines


def _problems(table: pa.Table) -> dict[int, tuple[str, str, int | None]]:
    """Invalid rows: row index -> (field, message, row whose line goes into `{line}`)."""
    problems: dict[int, tuple[str, str, int | None]] = {}
    ids = [value.strip() for value in table["id"].to_pylist()]
    sexes = _per_value(table["sex"], lambda s: s.strip().upper(), pa.string()).to_pylist()
    dates = _per_value(table["birth_date"], _date_problem, pa.string()).to_pylist()
    first_row: dict[str, int] = {}
    for row, (record_id, sex, date_problem) in enumerate(zip(ids, sexes, dates, strict=True)):
        if not record_id:
            problems[row] = ("id", "is empty", None)
        elif sex not in SEX_CODES:
            problems[row] = ("sex", f"{sex!r} is not M, F or empty", None)
        elif date_problem:
            problems[row] = ("birth_date", date_problem, None)
        elif record_id in first_row:
            message = f"{record_id!r} already used at line {{line}}"
            problems[row] = ("id", message, first_row[record_id])
        else:
            first_row[record_id] = row
    return problems


def _date_problem(text: str) -> str:
    try:
        parse_birth_date(text)
    except ValueError as error:
        return str(error)
    return ""


def _date_part(table: pa.Table, part: str) -> pa.Array:
    def extract(text: str):
        return getattr(parse_birth_date(text), part)

    result_type = pa.string() if part == "iso" else pa.int32()
    return _per_value(table["birth_date"], extract, result_type)


def _ordered_pair(first: pa.Array, second: pa.Array) -> pa.Array:
    low = pc.if_else(pc.less_equal(first, second), first, second)
    high = pc.if_else(pc.less_equal(first, second), second, first)
    return pc.binary_join_element_wise(low, high, "|")


def _features(table: pa.Table) -> pa.Table:
    given = _key(table, "given_name", given_name_key)
    family = _key(table, "family_name", family_name_key)
    if "address" in table.column_names:
        folded = _per_value(table["address"], fold_address, pa.list_(pa.string()))
    else:
        folded = pa.array([[]] * table.num_rows, pa.list_(pa.string()))
    tokens = pc.if_else(pc.equal(pc.list_value_length(folded), 0), pa.scalar(None, folded.type), folded)
    columns = {
        "unique_id": pc.utf8_trim_whitespace(table["id"].combine_chunks()),
        "given": given,
        "given_spelling": _key(table, "given_name", given_spelling_key),
        "family": family,
        "father": _key(table, "father_name", given_name_key),
        "name_pair": _ordered_pair(given, family),
        "name_prefix": _ordered_pair(
            pc.utf8_slice_codeunits(given, 0, 3), pc.utf8_slice_codeunits(family, 0, 3)
        ),
        "family_prefix": pc.utf8_slice_codeunits(family, 0, 4),
        "birth_year": _date_part(table, "year"),
        "birth_month": _date_part(table, "month"),
        "birth_day": _date_part(table, "day"),
        "birth_date": _date_part(table, "iso"),
        "sex": _per_value(table["sex"], lambda s: SEX_CODES[s.strip().upper()], pa.string()),
        "birth_place": _key(table, "birth_place", place_key),
        "citizenship": _key(table, "citizenship", citizenship_key),
        "document": _key(table, "document_number", document_key),
        "address": pc.binary_join(tokens, " "),
        "address_tokens": tokens,
    }
    return pa.Table.from_pydict(columns, schema=FEATURE_SCHEMA)


def read_feature_table(path: str | Path) -> tuple[pa.Table, list[RecordError]]:
    """Feature table of the valid rows of a batch CSV file, and an error per invalid row.

    Raises CsvLayoutError if the header lacks a required column or the file is not CSV.
    """
    path = Path(path)
    table = _read_strings(path, _header(path))
    problems = _problems(table)
    errors = []
    if problems:
        related = {other for _, _, other in problems.values() if other is not None}
        lines = _line_numbers(path, set(problems) | related)
        ids = table["id"].to_pylist()
        errors = [
            RecordError(
                lines[row],
                ids[row].strip(),
                field,
                message.format(line=lines[other]) if other is not None else message,
            )
            for row, (field, message, other) in sorted(problems.items())
        ]
        valid = pa.array([row not in problems for row in range(table.num_rows)])
        table = table.filter(valid)
    return _features(table), errors

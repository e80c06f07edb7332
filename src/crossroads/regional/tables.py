"""Released aggregate tables as they travel to the hub, their validation, and their combination.

Pure functions, no Django. A node sends the very tables of one release (`statistics.releases`:
small cells suppressed, secondary suppression, margins published whole). The hub accepts a body
only if it is such a table set: known tables over known variables, counts in cells and margins,
every cell below the threshold suppressed and no row or column with a single suppressed cell
(its value would follow from the margin). Anything else, record-level rows above all, is
refused. Combining keeps suppression: a regional cell with a suppressed part is the sum of the
visible parts, shown as a lower bound.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from crossroads.statistics.choices import in_order
from crossroads.statistics.releases import JUSTICE_TABLES, TABLES, VICTIM_TABLES

VALUE = re.compile(r"[\w .+\-]{1,40}")
JURISDICTION = re.compile(r"[A-Z]{2}")
MAX_ROWS = 300
BODY_KEYS = {"version", "made_at", "jurisdiction", "threshold", "records", "tables"}
TABLE_KEYS = {"rows", "columns", "column_values", "cells", "column_totals", "total"}
CELL_KEYS = {"value", "counts", "total"}


class Refused(ValueError):
    """The body is not a released aggregate table set; `field` names where it fails."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def read_release(folder: Path, manifest: dict) -> dict:
    """The body to publish for a tables release: its CSV files as written (the tables it
    made), with the manifest's version, threshold and jurisdiction."""
    tables = {}
    made = manifest.get("tables") or TABLES
    for name, (row_var, col_var) in TABLES.items():
        if name not in made:
            continue
        with open(Path(folder) / f"{name}.csv", newline="", encoding="utf-8") as handle:
            header, *lines = list(csv.reader(handle))
        *body, totals = lines
        tables[name] = {
            "rows": row_var, "columns": col_var, "column_values": header[1:-1],
            "cells": [{"value": line[0], "counts": [int(c) if c else None for c in line[1:-1]],
                       "total": int(line[-1])} for line in body],
            "column_totals": [int(c) for c in totals[1:-1]], "total": int(totals[-1])}
    return {"version": Path(folder).name, "made_at": manifest["made_at"],
            "jurisdiction": manifest["jurisdiction"], "threshold": manifest["threshold"],
            "records": manifest["records"], "tables": tables}


def _count(value, where: str, *, nullable=False) -> int | None:
    if value is None and nullable:
        return None
    if type(value) is not int or value < 0:
        raise Refused(where, "a count (a whole number, 0 or more)"
                      + (" or null where suppressed" if nullable else ""))
    return value


def _keys(value, expected: set, where: str) -> dict:
    if not isinstance(value, dict):
        raise Refused(where, "an object")
    if set(value) != expected:
        extra = sorted(set(value) - expected) or sorted(expected - set(value))
        raise Refused(where, f"expected exactly {', '.join(sorted(expected))} "
                             f"(not {', '.join(map(str, extra))})")
    return value


def _values(values, where: str, limit: int) -> list[str]:
    if not isinstance(values, list) or len(values) > limit:
        raise Refused(where, f"a list of at most {limit} values")
    if any(not isinstance(v, str) or not VALUE.fullmatch(v) for v in values):
        raise Refused(where, "category values of letters, digits, spaces, '.', '+' or '-'")
    if len(set(values)) != len(values):
        raise Refused(where, "each value once")
    return values


def _check_line(counts: list, total: int, threshold: int, where: str) -> None:
    hidden = [c for c in counts if c is None]
    visible = [c for c in counts if c is not None]
    small = [c for c in visible if 0 < c < threshold]
    if small:
        raise Refused(where, f"a cell of {small[0]} is below the threshold {threshold} "
                             "and not suppressed")
    if len(hidden) == 1:
        raise Refused(where, "a single suppressed cell would follow from the total")
    if sum(visible) > total or (not hidden and sum(visible) != total):
        raise Refused(where, "the cells do not add up to the total")


def _validate_table(name: str, table, threshold: int) -> None:
    where = f"tables.{name}"
    table = _keys(table, TABLE_KEYS, where)
    if (table["rows"], table["columns"]) != TABLES[name]:
        raise Refused(where, f"rows and columns must be {' and '.join(TABLES[name])}")
    columns = _values(table["column_values"], f"{where}.column_values", MAX_ROWS)
    cells = table["cells"]
    if not isinstance(cells, list) or len(cells) > MAX_ROWS:
        raise Refused(f"{where}.cells", f"a list of at most {MAX_ROWS} rows")
    rows = []
    for i, cell in enumerate(cells):
        at = f"{where}.cells[{i}]"
        cell = _keys(cell, CELL_KEYS, at)
        if not isinstance(cell["counts"], list) or len(cell["counts"]) != len(columns):
            raise Refused(f"{at}.counts", f"{len(columns)} counts, one per column")
        counts = [_count(c, f"{at}.counts", nullable=True) for c in cell["counts"]]
        _check_line(counts, _count(cell["total"], f"{at}.total"), threshold, at)
        rows.append(counts)
    _values([c["value"] for c in cells], f"{where}.cells[].value", MAX_ROWS)
    column_totals = table["column_totals"]
    if not isinstance(column_totals, list) or len(column_totals) != len(columns):
        raise Refused(f"{where}.column_totals", f"{len(columns)} totals, one per column")
    for j, total in enumerate(column_totals):
        _check_line([row[j] for row in rows], _count(total, f"{where}.column_totals"),
                    threshold, f"{where}.column_totals[{j}]")
    total = _count(table["total"], f"{where}.total")
    if total != sum(column_totals) or total != sum(c["total"] for c in cells):
        raise Refused(f"{where}.total", "not the sum of the margins")


def validate(body, jurisdictions: list[str]) -> dict:
    """`body` if it is a released table set for one of `jurisdictions`; else `Refused`."""
    body = _keys(body, BODY_KEYS, "body")
    if not isinstance(body["jurisdiction"], str) or not JURISDICTION.fullmatch(body["jurisdiction"]):
        raise Refused("jurisdiction", "a two-letter code")
    if body["jurisdiction"] not in jurisdictions:
        raise Refused("jurisdiction", "not a jurisdiction of the sending node")
    if not isinstance(body["version"], str) or not re.fullmatch(r"[\w.-]{1,80}", body["version"]):
        raise Refused("version", "1-80 letters, digits, '.', '_' or '-'")
    if not isinstance(body["made_at"], str) or len(body["made_at"]) > 40:
        raise Refused("made_at", "an ISO 8601 time")
    threshold = _count(body["threshold"], "threshold")
    if threshold < 2:
        raise Refused("threshold", "at least 2: a threshold of 1 suppresses nothing")
    _count(body["records"], "records")
    tables = body["tables"]
    if (not isinstance(tables, dict) or not set(VICTIM_TABLES) <= set(tables)
            or not set(tables) <= set(TABLES)):
        raise Refused("tables", f"the tables {', '.join(VICTIM_TABLES)}, and optionally "
                                f"{', '.join(JUSTICE_TABLES)}")
    for name, table in tables.items():
        _validate_table(name, table, threshold)
    return body


# ---------------------------------------------------------------------------- combination


@dataclass
class RegionalRow:
    value: str
    parts: dict[str, int | None]  # jurisdiction -> count, None where suppressed there
    total: int | None  # the sum of the visible parts; None when every part is suppressed
    lower_bound: bool  # some part is suppressed: the true total is at least `total`


@dataclass
class RegionalTable:
    name: str
    rows_variable: str
    column_value: str | None  # None: the row margins (all values of the column variable)
    jurisdictions: list[str]
    rows: list[RegionalRow] = field(default_factory=list)
    column_totals: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.column_totals.values())


def _column(table: dict, column_value: str | None) -> dict[str, int | None]:
    if column_value is None:
        return {cell["value"]: cell["total"] for cell in table["cells"]}
    if column_value not in table["column_values"]:
        return {cell["value"]: 0 for cell in table["cells"]}  # nothing recorded in that column
    j = table["column_values"].index(column_value)
    return {cell["value"]: cell["counts"][j] for cell in table["cells"]}


def combine(name: str, tables: dict[str, dict], column_value: str | None = None) -> RegionalTable:
    """One table over the jurisdictions: `tables` maps each jurisdiction to its release of
    table `name`; rows are the values of the row variable, for one value of the column
    variable (or all of them). A value absent from a jurisdiction's table counts 0 there."""
    jurisdictions = sorted(tables)
    columns = {j: _column(tables[j], column_value) for j in jurisdictions}
    values = in_order(TABLES[name][0], {v for column in columns.values() for v in column})
    result = RegionalTable(name, TABLES[name][0], column_value, jurisdictions)
    for value in values:
        parts = {j: columns[j].get(value, 0) for j in jurisdictions}
        visible = [c for c in parts.values() if c is not None]
        result.rows.append(RegionalRow(value, parts, sum(visible) if visible else None,
                                       len(visible) < len(parts)))
    for j in jurisdictions:
        table = tables[j]
        if column_value is None:
            result.column_totals[j] = table["total"]
        elif column_value in table["column_values"]:
            result.column_totals[j] = table["column_totals"][
                table["column_values"].index(column_value)]
        else:
            result.column_totals[j] = 0
    return result


def column_values(tables: dict[str, dict]) -> list[str]:
    """Every value of a table's column variable released by any jurisdiction."""
    return sorted({v for table in tables.values() for v in table["column_values"]})


def held(name: str, tables: dict[str, dict]) -> dict[str, dict]:
    """The jurisdictions' releases of table `name`, among those that hold it (a node of an
    earlier version releases no criminal-justice tables: it is left out, not counted 0)."""
    return {code: t[name] for code, t in tables.items() if name in t}

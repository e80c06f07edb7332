"""Schemas of the regional JSON API (the hub's combined released aggregates)."""

import datetime

from ninja import Schema


class ReleaseOut(Schema):
    jurisdiction: str
    version: str
    made_at: datetime.datetime
    threshold: int
    records: int


class TableInfo(Schema):
    name: str
    rows: str
    columns: str
    column_values: list[str]


class Overview(Schema):
    releases: list[ReleaseOut]
    tables: list[TableInfo]


class RowOut(Schema):
    value: str
    parts: dict[str, int | None]
    total: int | None
    lower_bound: bool


class TableOut(Schema):
    name: str
    rows: str
    columns: str
    column: str | None
    jurisdictions: list[str]
    items: list[RowOut]
    column_totals: dict[str, int]
    total: int


class HeatCellOut(Schema):
    key: str
    published: bool
    counts: dict[str, int] | None
    score: float | None
    unknown_share: float | None


class HeatRowOut(Schema):
    jurisdiction: str
    year: int | None
    version: str | None
    closed_on: datetime.date | None
    pillars: list[HeatCellOut]
    instruments: list[HeatCellOut]


class HeatMapOut(Schema):
    score_rule: str
    items: list[HeatRowOut]

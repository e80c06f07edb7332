"""Schemas of the statistics JSON API: the dashboards' suppressed tables (api.py) and the
releases, their decisions and the privacy ledger (release_api.py)."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from crossroads.api_types import Limit, Offset, Year

from . import dashboards

PageName = Literal[tuple(dashboards.PAGES)]
TableName = Literal[tuple(dashboards.TABLE_NAMES)]


class YearFilters(Schema):
    year_from: Year | None = None
    year_to: Year | None = None


class ColumnOut(Schema):
    code: str
    label: str


class RowOut(Schema):
    code: str
    label: str
    cells: list[int | None]   # null: suppressed
    total: int | None


class TableOut(Schema):
    name: str
    title: str
    row_title: str
    threshold: int
    suppressed_cells: int
    disclosure_control: bool  # false: an internal table for a reader entitled to every count
    columns: list[ColumnOut]
    rows: list[RowOut]
    column_totals: list[int | None] | None  # null: not published (nested stages)
    total: int | None
    notes: list[str]


class AlertOut(Schema):
    table: str
    row: str
    year: int
    previous: int
    current: int
    p_value: float
    p_text: str      # "p = 0.0123" or "p < 0.0001"


class IndicatorOut(Schema):
    jurisdiction: str
    group: str
    count: int | None
    population: int | None
    rate: float | None
    low: float | None
    high: float | None
    regional: float | None
    flagged: bool
    source: str


class DashboardOut(Schema):
    page: str
    title: str
    year_from: int
    year_to: int
    open_years: list[int]  # not yet ended: partial counts, never tested for change
    tables: list[TableOut]
    alerts: list[AlertOut]
    indicators: list[IndicatorOut]


class PagePath(Schema):
    page: PageName


class TablePath(Schema):
    name: TableName



class ReleaseIn(Schema):
    kind: Literal["tables", "microdata", "synthetic"]
    columns: list[str] = Field(default_factory=list, max_length=20)
    k: int | None = Field(None, ge=2, le=1000)
    threshold: int | None = Field(None, ge=2, le=1000)
    epsilon: Decimal | None = Field(None, gt=0, le=100, max_digits=10, decimal_places=6)


class ReleaseOut(Schema):
    id: int
    kind: str
    status: str
    jurisdiction: str | None = Field(None, alias="jurisdiction_id")
    parameters: dict
    epsilon: float | None
    k: int | None
    threshold: int | None
    suppression_rate: float | None
    records: int | None
    percent: int
    error: str
    manifest: dict
    files: dict[str, str]
    created_at: datetime.datetime
    prepared_at: datetime.datetime | None
    approved_by: str = Field("", alias="approved_by_name")
    decided_at: datetime.datetime | None


class ReleasePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReleaseOut]


class ReleaseFilters(Schema):
    status: str | None = Field(None, max_length=10)
    limit: Limit | None = None
    offset: Offset = 0


class DecisionIn(Schema):
    reason: str = Field("", max_length=500)


class LedgerEntryOut(Schema):
    release: int = Field(alias="release_id")
    epsilon: float
    spent_by: str = Field("", alias="spent_by_name")
    spent_at: datetime.datetime


class BudgetOut(Schema):
    jurisdiction: str
    total: float
    spent: float
    reserved: float
    remaining: float
    entries: list[LedgerEntryOut]

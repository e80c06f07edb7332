"""Read-only statistics routes of the JSON API: the coordinators' dashboards as suppressed
tables (the same services as the pages; every answer audited)."""

from typing import Literal

from ninja import Path, Query, Router, Schema

from crossroads.api_types import Year

from . import dashboards

router = Router(tags=["statistics"])

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
    tables: list[TableOut]
    alerts: list[AlertOut]
    indicators: list[IndicatorOut]


class PagePath(Schema):
    page: PageName


class TablePath(Schema):
    name: TableName


def _params(filters: YearFilters) -> dict:
    return {k: v for k, v in filters.dict().items() if v is not None}


@router.get("/statistics/dashboards/{page}", response=DashboardOut)
def get_dashboard(request, path: Path[PagePath], filters: Query[YearFilters]):
    board = dashboards.dashboard(request.user, path.page, _params(filters), via="api")
    return {"page": board.page, "title": board.title, "year_from": board.years.first,
            "year_to": board.years.last, "tables": [t.as_dict() for t in board.tables],
            "alerts": [vars(a) for a in board.alerts],
            "indicators": [vars(i) for i in board.indicators]}


@router.get("/statistics/tables/{name}", response=TableOut)
def get_table(request, path: Path[TablePath], filters: Query[YearFilters]):
    table, _years = dashboards.table(request.user, path.name, _params(filters), via="api",
                                     export=False)
    return table.as_dict()

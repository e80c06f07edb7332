"""Read-only statistics routes of the JSON API: the coordinators' dashboards as suppressed
tables (the same services as the pages; every answer audited)."""

from ninja import Path, Query, Router

from . import dashboards
from .schemas import DashboardOut, PagePath, TableOut, TablePath, YearFilters

router = Router(tags=["statistics"])



def _params(filters: YearFilters) -> dict:
    return {k: v for k, v in filters.dict().items() if v is not None}


@router.get("/statistics/dashboards/{page}", response=DashboardOut)
def get_dashboard(request, path: Path[PagePath], filters: Query[YearFilters]):
    board = dashboards.dashboard(request.user, path.page, _params(filters), via="api")
    return {"page": board.page, "title": board.title, "year_from": board.years.first,
            "year_to": board.years.last, "open_years": board.years.open,
            "tables": [t.as_dict() for t in board.tables],
            "alerts": [{**vars(a), "p_text": a.p_text} for a in board.alerts],
            "indicators": [vars(i) for i in board.indicators]}


@router.get("/statistics/tables/{name}", response=TableOut)
def get_table(request, path: Path[TablePath], filters: Query[YearFilters]):
    table, _years = dashboards.table(request.user, path.name, _params(filters), via="api",
                                     export=False)
    return table.as_dict()

"""The criminal-justice statistics route (`criminal_justice`), suppressed and audited."""

from ninja import Query, Router, Schema

from . import criminal_justice
from .schemas import TableOut, YearFilters

router = Router(tags=["statistics"])


class JusticeOut(Schema):
    year_from: int
    year_to: int
    tables: list[TableOut]


@router.get("/statistics/criminal-justice", response=JusticeOut)
def criminal_justice_tables(request, filters: Query[YearFilters]):
    """Investigations, prosecutions, convictions and sentences per suspect and year, and the
    attrition from identified victim to final conviction (coordinators)."""
    years, tables = criminal_justice.justice_tables(
        request.user, {k: v for k, v in filters.dict().items() if v is not None}, via="api")
    return {"year_from": years.first, "year_to": years.last,
            "tables": [t.as_dict() for t in tables]}

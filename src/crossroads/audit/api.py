"""Audit trail routes for oversight."""

from ninja import Query, Router

from crossroads.pagination import page

from .queries import filter_entries
from .schemas import EntryFilters, EntryPage

router = Router(tags=["audit"])


@router.get("/audit", response=EntryPage)
def list_entries(request, filters: Query[EntryFilters]):
    return page(filter_entries(request.user, filters.dict()), filters.limit, filters.offset)

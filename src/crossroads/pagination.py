"""Limit/offset pages for API lists. Every list route answers `{count, limit, offset, items}`
and honours `limit` and `offset` (`PageFilters`, `page_of`; tests/api/test_list_envelope.py
finds every list route in the OpenAPI schema)."""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import create_model

from crossroads.api_types import Limit, Offset


class PageFilters(Schema):
    """The query of a list route (a route with more filters extends it)."""

    limit: Limit | None = None
    offset: Offset = 0


class PageOut(Schema):
    count: int
    limit: int
    offset: int


def page_of(item: type, name: str | None = None) -> type[PageOut]:
    """The answer schema of a list of `item`: `{count, limit, offset, items: [item]}`."""
    return create_model(name or f"{item.__name__.removesuffix('Out')}Page", __base__=PageOut,
                        items=(list[item], ...))


def page(queryset, limit: int | None, offset: int) -> dict:
    """One page of a queryset (counted and cut in the database) or of a list."""
    limit = limit or settings.CROSSROADS_PAGE_SIZE
    if not 1 <= limit <= settings.CROSSROADS_MAX_PAGE_SIZE:
        raise ValidationError({"limit": _("Use 1 to %(max)s.") % {"max": settings.CROSSROADS_MAX_PAGE_SIZE}})
    if offset < 0:
        raise ValidationError({"offset": _("Must not be negative.")})
    items = list(queryset[offset:offset + limit])
    if isinstance(queryset, Sequence):
        count = len(queryset)
    elif len(items) < limit and (items or not offset):
        count = offset + len(items)  # the last page tells the count: no second query
    else:
        count = queryset.count()
    return {"count": count, "limit": limit, "offset": offset, "items": items}


def paged(queryset, filters: PageFilters) -> dict:
    return page(queryset, filters.limit, filters.offset)

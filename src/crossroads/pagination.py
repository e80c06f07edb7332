"""Limit/offset pages for API lists."""

from django.conf import settings
from django.core.exceptions import ValidationError


def page(queryset, limit: int | None, offset: int) -> dict:
    limit = limit or settings.CROSSROADS_PAGE_SIZE
    if not 1 <= limit <= settings.CROSSROADS_MAX_PAGE_SIZE:
        raise ValidationError({"limit": f"Use 1 to {settings.CROSSROADS_MAX_PAGE_SIZE}."})
    if offset < 0:
        raise ValidationError({"offset": "Must not be negative."})
    items = list(queryset[offset:offset + limit])
    return {"count": queryset.count(), "limit": limit, "offset": offset, "items": items}

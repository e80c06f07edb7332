"""Limit/offset pages for API lists."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def page(queryset, limit: int | None, offset: int) -> dict:
    limit = limit or settings.CROSSROADS_PAGE_SIZE
    if not 1 <= limit <= settings.CROSSROADS_MAX_PAGE_SIZE:
        raise ValidationError({"limit": _("Use 1 to %(max)s.") % {"max": settings.CROSSROADS_MAX_PAGE_SIZE}})
    if offset < 0:
        raise ValidationError({"offset": _("Must not be negative.")})
    items = list(queryset[offset:offset + limit])
    return {"count": queryset.count(), "limit": limit, "offset": offset, "items": items}

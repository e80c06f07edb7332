"""Reads of the audit trail, through the policy (oversight of the jurisdiction only)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from crossroads.access.policy import VIEW, require_capability

from . import labels
from .models import AuditEntry

FILTERS = ("actor", "action", "outcome", "object_type", "object_id")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_entries(user, filters: dict):
    """The entries the user may read, newest first, narrowed by `filters`: the names in
    `FILTERS` (exact matches), `date_from`/`date_to` (days, both included), `about` (a
    reference such as a case's: the entries on that object and those that name it as their
    case) and `break_glass`; the page, the export and the API all call this."""
    require_capability(user, "view_audit")
    qs = AuditEntry.objects.restrict(user, VIEW).order_by("-id")
    for name in FILTERS:
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("date_from"):
        qs = qs.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("about"):
        about = Q(pk__in=[])
        for label, ids in labels.find(filters["about"]).items():
            about |= Q(object_type=label, object_id__in=ids)
            if label == "registry.case":
                about |= Q(details__case__in=[int(pk) for pk in ids])
        qs = qs.filter(about)
    if filters.get("break_glass"):
        # Grants opened, ended or refused, and every read made under one.
        qs = qs.filter(Q(object_type="access.breakglassgrant") | Q(details__has_key="break_glass"))
    return qs

"""Reads of the audit trail, through the policy (oversight of the jurisdiction only)."""

from django.db.models import Q

from crossroads.access.policy import VIEW, require_capability

from .models import AuditEntry

FILTERS = ("actor", "action", "outcome", "object_type", "object_id")


def filter_entries(user, filters: dict):
    """The entries the user may read, newest first, narrowed by `filters` (the names in
    `FILTERS`, exact matches, and `break_glass`); the page and the API both call this."""
    require_capability(user, "view_audit")
    qs = AuditEntry.objects.restrict(user, VIEW).order_by("-id")
    for name in FILTERS:
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("break_glass"):
        # Grants opened, ended or refused, and every read made under one.
        qs = qs.filter(Q(object_type="access.breakglassgrant") | Q(details__has_key="break_glass"))
    return qs

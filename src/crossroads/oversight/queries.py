"""Reads of oversight: alerts, the dashboard, the entries behind an alert, and the access
reports (who saw a person, a case; what an account did; who searched for a name). The reports
read the audit chain of the reader's jurisdiction only; they name persons by id, never by name.
A name asked for is hashed like the chain's search entries (`audit.search_terms`), and the
question itself is an entry of the chain."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from crossroads.access.models import Agency
from crossroads.access.policy import VIEW, get_visible_or_404, require_capability
from crossroads.audit import labels
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.audit.search_terms import digests_of, hashed_terms, matches
from crossroads.audit.services import record

from . import detection
from .choices import (
    RECOMMENDATION_OWED,
    AlertKind,
    AlertStatus,
    InquiryStatus,
    RecommendationStatus,
    Severity,
)
from .models import Alert, AlertNote, Inquiry, Recommendation
from .rules import OVERSEE

ALERT_FILTERS = ("status", "kind", "severity", "username")


def alerts(user, filters: dict | None = None):
    require_capability(user, OVERSEE)
    qs = Alert.objects.restrict(user, VIEW).select_related("assigned_to")
    for name in ALERT_FILTERS:
        value = (filters or {}).get(name)
        if value:
            qs = qs.filter(**{name: value})
    return qs


def alert(user, alert_id: int) -> Alert:
    require_capability(user, OVERSEE)
    return get_visible_or_404(Alert.objects.select_related("assigned_to"), user, pk=alert_id)


def _entries(user):
    return AuditEntry.objects.restrict(user, VIEW)


def alert_entries(user, found: Alert) -> list[AuditEntry]:
    shown = list(_entries(user).filter(pk__in=found.entries).order_by("id"))
    labels.label_entries(shown)
    return shown


def notes(user, found: Alert):
    return AlertNote.objects.restrict(user, VIEW).filter(alert=found).select_related("author")


@dataclass(frozen=True)
class Period:
    """Days from `since` to `until`, both included; an open end is unbounded."""
    since: datetime.date | None = None
    until: datetime.date | None = None

    def apply(self, qs, field: str):
        if self.since:
            qs = qs.filter(**{f"{field}__date__gte": self.since})
        if self.until:
            qs = qs.filter(**{f"{field}__date__lte": self.until})
        return qs


def dashboard(user, period: Period = Period()) -> dict:
    """Alerts per agency (of the account they are about) and month, and per kind and status,
    of the alerts raised in the period."""
    qs = period.apply(alerts(user), "raised_at")
    months = (qs.annotate(month=TruncMonth("raised_at")).values("agency_id", "month")
              .annotate(n=Count("id")).order_by("month"))
    names = dict(Agency.objects.filter(pk__in=qs.values("agency_id")).values_list("pk", "name"))
    table = defaultdict(dict)
    columns = []
    for row in months:
        label = f"{row['month']:%Y-%m}"
        if label not in columns:
            columns.append(label)
        table[names.get(row["agency_id"], "—")][label] = row["n"]
    rows = [{"agency": agency, "cells": [by_month.get(m, 0) for m in columns],
             "total": sum(by_month.values())} for agency, by_month in sorted(table.items())]
    kinds = dict(qs.values_list("kind").annotate(n=Count("id")))
    statuses = dict(qs.values_list("status").annotate(n=Count("id")))
    return {"months": columns, "rows": rows,
            "kinds": [(k.label, kinds.get(k.value, 0)) for k in AlertKind],
            "statuses": [(s.label, statuses.get(s.value, 0)) for s in AlertStatus],
            "severities": list(Severity)}


# ----------------------------------------------------------------------------- inquiries

def _visible_alerts(user) -> Prefetch:
    return Prefetch("alerts", Alert.objects.restrict(user, VIEW))


def inquiries(user, filters: dict | None = None):
    """The inquiries of the reader's jurisdiction (none about the reader), newest first, each
    with `overdue_count`: its recommendations past their deadline and still owed."""
    require_capability(user, OVERSEE)
    qs = (Inquiry.objects.restrict(user, VIEW).select_related("agency", "account")
          .prefetch_related(_visible_alerts(user))
          .annotate(overdue_count=Count("recommendations", filter=Q(
              recommendations__status__in=RECOMMENDATION_OWED,
              recommendations__deadline__lt=timezone.localdate()), distinct=True))
          .order_by("-opened_at", "-id"))
    status = (filters or {}).get("status")
    if status:
        qs = qs.filter(status=status)
    if (filters or {}).get("overdue"):
        qs = qs.filter(overdue_count__gt=0)
    return qs


def inquiry(user, inquiry_id: int) -> Inquiry:
    """One inquiry with its alerts (those the reader sees) and its recommendations."""
    require_capability(user, OVERSEE)
    return get_visible_or_404(Inquiry.objects.select_related("agency", "account", "opened_by")
                              .prefetch_related(
                                  _visible_alerts(user),
                                  Prefetch("recommendations", Recommendation.objects.restrict(
                                      user, VIEW).select_related("agency"))),
                              user, pk=inquiry_id)


def recommendation(user, recommendation_id: int) -> Recommendation:
    require_capability(user, OVERSEE)
    return get_visible_or_404(Recommendation.objects.select_related("agency", "inquiry"), user,
                              pk=recommendation_id)


def overdue_recommendations(user):
    require_capability(user, OVERSEE)
    return Recommendation.objects.restrict(user, VIEW).overdue()


def _per_month(qs, field: str) -> dict[str, int]:
    return {f"{row['month']:%Y-%m}": row["n"] for row in
            qs.exclude(**{f"{field}__isnull": True}).annotate(month=TruncMonth(field))
            .values("month").annotate(n=Count("id", distinct=True)).order_by("month")}


def inquiry_board(user, period: Period = Period()) -> dict:
    """The inquiries' counts for the oversight report, of the inquiries opened in the period:
    opened and closed per month, by status, their recommendations per addressee agency by
    implementation status, and the overdue ones."""
    qs = period.apply(inquiries(user), "opened_at")
    opened, closed = _per_month(qs, "opened_at"), _per_month(qs, "closed_at")
    months = sorted(set(opened) | set(closed))
    by_status = dict(period.apply(Inquiry.objects.restrict(user, VIEW), "opened_at").order_by()
                     .values_list("status").annotate(n=Count("id")))
    recs = period.apply(Recommendation.objects.restrict(user, VIEW), "inquiry__opened_at")
    overdue = dict(period.apply(overdue_recommendations(user), "inquiry__opened_at")
                   .values_list("agency__name").annotate(n=Count("id")))
    by_agency = defaultdict(dict)
    for name, status, n in recs.values_list("agency__name", "status").annotate(n=Count("id")):
        by_agency[name][status] = n
    return {
        "months": [(m, opened.get(m, 0), closed.get(m, 0)) for m in months],
        "statuses": [(s.label, by_status.get(s.value, 0)) for s in InquiryStatus],
        "recommendation_statuses": list(RecommendationStatus),
        "agencies": [{"agency": name, "cells": [by_agency[name].get(s.value, 0)
                                                for s in RecommendationStatus],
                      "overdue": overdue.get(name, 0)} for name in sorted(by_agency)],
        "overdue": sum(overdue.values()),
    }


# ------------------------------------------------------------------------ access reports

def _names_person(entry: AuditEntry, person_id: int) -> bool:
    if entry.object_type == "registry.person" and entry.object_id == str(person_id):
        return True
    return person_id in [int(p) for p in entry.details.get("ids", []) if str(p).isdigit()] or (
        entry.details.get("person") == person_id)


def person_access(user, person_id: int):
    """Every entry of the reader's jurisdiction that read or changed the person: their record,
    a page or response that showed them among others, a child record naming them."""
    require_capability(user, OVERSEE)
    shown = (Q(details__ids__contains=[person_id]) if connection.vendor == "postgresql"
             else Q(details__has_key="ids"))   # SQLite has no JSON containment: filtered below
    qs = _entries(user).filter(
        Q(object_type="registry.person", object_id=str(person_id))
        | (Q(object_type="registry.person", object_id="") & shown)
        | Q(details__person=person_id)).order_by("-id")
    return [e for e in qs if _names_person(e, person_id)]


def case_access(user, case_id: int):
    require_capability(user, OVERSEE)
    listed = (Q(details__cases__contains=[case_id]) if connection.vendor == "postgresql"
              else Q(details__has_key="cases"))
    qs = _entries(user).filter(
        Q(object_type="registry.case", object_id=str(case_id)) | Q(details__case=case_id)
        | listed).order_by("-id")
    return [e for e in qs if e.object_type == "registry.case" or e.details.get("case") == case_id
            or case_id in e.details.get("cases", [])]


def account_access(user, account_id: int):
    require_capability(user, OVERSEE)
    return list(_entries(user).filter(actor_id=account_id).order_by("-id"))


def searched_for(user, name: str):
    """The name searches of the reader's jurisdiction that looked for every word of `name`.
    The question is recorded, hashed as the searches are."""
    require_capability(user, OVERSEE)
    record(user, Action.SEARCH, object_type="audit.auditentry",
           details={"via": "oversight name search", "terms": hashed_terms(name)})
    wanted = digests_of(name)
    qs = _entries(user).filter(action=Action.SEARCH, details__has_key="terms").order_by("-id")
    return [e for e in qs if "via" not in e.details and matches(e.details.get("terms"), wanted)]


def presented(entries) -> list[AuditEntry]:
    """The entries with their object labels and the surface they came through (`via`)."""
    entries = list(entries)
    labels.label_entries(entries)
    for e in entries:
        e.surface = e.details.get("via") or e.get_action_display()
        e.persons = detection.persons_of(detection.Entry(
            e.pk, e.at, e.actor_id, e.actor, e.role, e.agency_id, e.jurisdiction, e.action,
            e.object_type, e.object_id, e.details))
    return entries


def record_report(user, report: str, subject: int | None = None, **details) -> None:
    record(user, Action.EXPORT, object_type="oversight.report",
           details={"report": report, "subject": subject, **details})

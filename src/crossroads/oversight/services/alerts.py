"""Writes of oversight: the scan that raises alerts from the audit chain, and the triage of an
alert (status with a reason, assignment, notes), each step audited. Nothing here tells the
account an alert is about: no notification, no entry they can read (only oversight reads
the chain), and the alert rule hides an alert from its own subject."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.access.policy import CHANGE, get_visible_or_404, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.audit.search_terms import digests_of
from crossroads.audit.services import record
from crossroads.investigations.models import SuspectMarker
from crossroads.names import family_name_key
from crossroads.registry import blind_index
from crossroads.registry.choices import VICTIM_ROLES
from crossroads.registry.models import Case, CaseTeamMember, Involvement, SearchKey
from crossroads.text import clean_text

from .. import detection
from ..choices import CLOSED, SEVERITY_RANK, TRANSITIONS, AlertStatus
from ..models import Alert, AlertNote, Scan
from ..rules import OVERSEE


def thresholds() -> dict:
    return detection.thresholds(settings.CROSSROADS_OVERSIGHT_THRESHOLDS)


def _entries(since: datetime.datetime) -> list[detection.Entry]:
    fields = ("id", "at", "actor_id", "actor", "role", "agency_id", "jurisdiction", "action",
              "object_type", "object_id", "details")
    return [detection.Entry(*row) for row in
            AuditEntry.objects.filter(at__gte=since).order_by("id").values_list(*fields)]


def _context(entries: list[detection.Entry]) -> detection.Context:
    """The case context the rules judge reads in: teams, involvements, the agencies of cases,
    public officials' agencies, and the name digests of accounts and of the persons read."""
    ctx = detection.Context(tz=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    for user_id, case_id in CaseTeamMember.objects.values_list("user_id", "case_id"):
        ctx.teams.setdefault(user_id, set()).add(case_id)
    for person_id, case_id, role in Involvement.objects.values_list("person_id", "case_id", "role"):
        ctx.person_cases.setdefault(person_id, set()).add(case_id)
        if role in VICTIM_ROLES:
            ctx.victims.add(person_id)
    for case_id, owner in Case.objects.values_list("pk", "owner_agency_id"):
        ctx.case_agencies.setdefault(case_id, set()).add(owner)
    for case_id, agency in Case.assigned_agencies.through.objects.values_list("case_id",
                                                                            "agency_id"):
        ctx.case_agencies.setdefault(case_id, set()).add(agency)
    for person_id, agency in (SuspectMarker.objects.filter(public_official=True,
                                                           official_agency__isnull=False)
                              .values_list("involvement__person_id", "official_agency_id")):
        ctx.official_agencies.setdefault(person_id, set()).add(agency)
    actors = {e.actor_id for e in entries if e.actor_id is not None}
    for user_id, last_name in User.objects.filter(pk__in=actors).values_list("pk", "last_name"):
        key = family_name_key(last_name)
        if key:
            ctx.family_digests[user_id] = {blind_index.digest("name", key)}
            ctx.family_terms[user_id] = digests_of(last_name)
    read = {p for e in entries for p in detection.persons_of(e)}
    for person_id, digest in SearchKey.objects.filter(kind="name", person_id__in=read).values_list(
            "person_id", "digest"):
        ctx.person_digests.setdefault(person_id, set()).add(digest)
    return ctx


def scan(now: datetime.datetime | None = None) -> Scan:
    """Run every rule over the window's entries; a finding already raised adds its new entries
    to its alert (whatever the alert's status), so a re-scan never duplicates an alert."""
    now = now or timezone.now()
    t = thresholds()
    run = Scan.objects.create(started_at=now)
    entries = _entries(now - datetime.timedelta(days=t["window_days"]))
    findings = detection.run(entries, _context(entries), t)
    raised = updated = 0
    with transaction.atomic():
        known = Alert.objects.in_bulk([f.key for f in findings], field_name="fingerprint")
        for f in findings:
            alert = known.get(f.key)
            if alert is None:
                Alert.objects.create(
                    kind=f.kind, fingerprint=f.key, jurisdiction=f.jurisdiction,
                    actor_id=f.actor_id, username=f.username, agency_id=f.agency_id,
                    person_id=f.person_id, severity=f.severity, entries=f.entries,
                    facts=f.facts, first_at=f.first_at, last_at=f.last_at, raised_at=now)
                raised += 1
                continue
            merged = sorted(set(alert.entries) | set(f.entries))[:detection.MAX_ENTRIES]
            severity = max(alert.severity, f.severity, key=SEVERITY_RANK.get)
            if merged != alert.entries or severity != alert.severity:
                Alert.objects.filter(pk=alert.pk).update(
                    entries=merged, severity=severity, facts=f.facts,
                    last_at=max(alert.last_at, f.last_at), updated_at=now)
                updated += 1
        run.finished_at = timezone.now()
        run.last_entry = entries[-1].id if entries else 0
        run.raised, run.updated = raised, updated
        run.save()
        record(None, Action.CREATE, run, details={"raised": raised, "updated": updated,
                                                  "entries": len(entries)})
    return run


# ------------------------------------------------------------------------------ triage

def _alert(actor, alert_id: int) -> Alert:
    require_capability(actor, OVERSEE)
    alert = get_visible_or_404(Alert.objects.all(), actor, pk=alert_id)
    require(actor, CHANGE, alert)
    return alert


def move(actor, alert_id: int, status: str, reason: str = "") -> Alert:
    """Move an alert along its triage; justified, referred and dismissed need a reason."""
    with transaction.atomic():
        alert = _alert(actor, alert_id)
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        reason = clean_text(reason or "")[:2000]
        if status not in AlertStatus.values:
            raise ValidationError({"status": _("Choose a status: %(codes)s.") % {
                "codes": ", ".join(AlertStatus.values)}})
        if status not in TRANSITIONS[alert.status]:
            raise ValidationError({"status": _("An alert that is %(now)s cannot become %(then)s.")
                                   % {"now": alert.get_status_display(),
                                      "then": AlertStatus(status).label}})
        if status in CLOSED and not reason:
            raise ValidationError({"reason": _("Say why: a closed alert keeps its reason.")})
        before = alert.status
        alert.status = status
        if reason:
            alert.reason = reason
        alert.save(update_fields=["status", "reason", "updated_at"])
        record(actor, Action.UPDATE, alert, details={"status": [before, status],
                                                     "reason": bool(reason)})
    return alert


def assign(actor, alert_id: int, assignee_id: int | None) -> Alert:
    with transaction.atomic():
        alert = _alert(actor, alert_id)
        assignee = None
        if assignee_id is not None:
            assignee = User.objects.filter(pk=assignee_id, is_active=True,
                                           role=Role.OVERSIGHT).select_related("agency").first()
            if (assignee is None or assignee.jurisdiction_id != alert.jurisdiction
                    or assignee.pk == alert.actor_id):
                raise ValidationError({"assignee": _(
                    "Assign the alert to an active oversight account of its jurisdiction "
                    "that it is not about.")})
        alert.assigned_to = assignee
        alert.save(update_fields=["assigned_to", "updated_at"])
        record(actor, Action.UPDATE, alert, details={"assigned_to": assignee_id})
    return alert


def add_note(actor, alert_id: int, text: str) -> AlertNote:
    text = clean_text(text or "")[:4000]
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    with transaction.atomic():
        alert = _alert(actor, alert_id)
        note = AlertNote.objects.create(alert=alert, author=actor, text=text)
        record(actor, Action.CREATE, note, details={"alert": alert.pk})
    return note

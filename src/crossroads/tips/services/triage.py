"""The triage team's steps on a report: review, assignment, questions to the reporter, and the
outcome (a new case, an existing case, or no action with a reason). Each step checks the
policy, claims the report's version and is audited."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE, VIEW
from crossroads.access.policy import require, require_capability, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.choices import HandlingCode
from crossroads.registry.models import Case
from crossroads.registry.rules import REGISTER_VICTIM
from crossroads.registry.services import CaseInput, open_case
from crossroads.validation import collect
from crossroads.versions import claim

from ..choices import TRANSITIONS, Author, NoActionReason, Status
from ..models import Message, Report
from ..rules import TRIAGE, takes_reports
from .reporting import TEXT_MAX, _text


def _step(actor, report: Report, version, to_status: str | None = None, **changes) -> Report:
    """Check, claim the version, write `changes` (and the state), audit."""
    require_capability(actor, TRIAGE)
    require(actor, CHANGE, report)
    if to_status is not None and to_status != report.status:
        if to_status not in TRANSITIONS[report.status]:
            raise ValidationError({"status": _("A report that is “%(status)s” cannot become "
                                                "“%(to)s”.") % {
                "status": report.get_status_display(), "to": Status(to_status).label}})
        changes["status"] = to_status
    with transaction.atomic():
        claim(report, version)
        for name, value in changes.items():
            setattr(report, name, value)
        report.save(update_fields=[*changes, "version"])
        record(actor, Action.UPDATE, report, details={
            name: (value.pk if hasattr(value, "pk") else str(value))
            for name, value in changes.items() if value is not None})
    return report


def start_review(actor, report: Report, version=None) -> Report:
    return _step(actor, report, version, Status.UNDER_REVIEW, agency=actor.agency,
                 assignee=report.assignee or actor)


def assign(actor, report: Report, username: str, version=None) -> Report:
    """Hand the report to a member of the jurisdiction's triage team."""
    user = get_user_model().objects.filter(username=username, is_active=True,
                                           agency__jurisdiction_id=report.jurisdiction_id).first()
    if user is None or not takes_reports(user):
        raise ValidationError({"assignee": _("No one of your jurisdiction's triage team has "
                                             "this user name.")})
    return _step(actor, report, version, agency=user.agency, assignee=user)


def close_without_action(actor, report: Report, reason: str, version=None) -> Report:
    if reason not in NoActionReason.values:
        raise ValidationError({"reason": _("Choose why no action follows.")})
    return _step(actor, report, version, Status.NO_ACTION, no_action_reason=reason)


def reopen(actor, report: Report, version=None) -> Report:
    return _step(actor, report, version, Status.UNDER_REVIEW, no_action_reason="",
                 duplicate_of=None)


def mark_duplicate(actor, report: Report, of: int | None, version=None) -> Report:
    """Close the report without action as a duplicate of report `of` (one the actor may see,
    of the same jurisdiction); a report marked so is joined to the one its original repeats,
    so the marks never form a loop."""
    visible = restrict(Report.objects, actor, VIEW).filter(jurisdiction_id=report.jurisdiction_id)
    original = visible.filter(pk=of).first() if of else None
    seen = set()
    while original is not None and original.duplicate_of_id and original.pk not in seen:
        seen.add(original.pk)
        repeated = visible.filter(pk=original.duplicate_of_id).first()
        if repeated is None:
            break
        original = repeated
    if original is None or original.pk == report.pk:
        raise ValidationError({"duplicate_of": _("Give the number of another report of your "
                                                 "jurisdiction's queue.")})
    return _step(actor, report, version, Status.NO_ACTION, no_action_reason=NoActionReason.DUPLICATE,
                 duplicate_of=original)


def refer_to_new_case(actor, report: Report, *, handling_code: str = HandlingCode.H1,
                      version=None) -> Report:
    """Open a case from the report (the registry's service; the actor's agency owns it)."""
    require_capability(actor, REGISTER_VICTIM)
    require(actor, CHANGE, report)
    with transaction.atomic():
        case = open_case(actor, CaseInput(handling_code=handling_code,
                                          summary=report.what_happened))
        return _step(actor, report, version, Status.REFERRED, case=case)


def attach_to_case(actor, report: Report, reference: str, version=None) -> Report:
    """Refer the report to a case the actor may change."""
    case = restrict(Case.objects, actor, VIEW).filter(reference=reference.strip()).first()
    if case is None:
        raise ValidationError({"case": _("No case you may see has this reference.")})
    require(actor, CHANGE, case)
    return _step(actor, report, version, Status.REFERRED, case=case)


def write_to_reporter(actor, report: Report, text: str) -> Message:
    """A question or an answer to the reporter, who reads it with their receipt."""
    require_capability(actor, TRIAGE)
    require(actor, CHANGE, report)
    with collect() as errors:
        body = _text(errors, text, "text", required=True, limit=TEXT_MAX)
    with transaction.atomic():
        message = Message.objects.create(report=report, author=Author.TEAM, sent_by=actor,
                                         body=body)
        record(actor, Action.CREATE, message, details={"report": report.pk})
    return message


def remind_overdue(now=None) -> list[Report]:
    """Mark the urgent reports past their deadline as reminded (the task tells the team);
    each reminder is audited. Returns them."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(Report.objects.to_remind(now).select_for_update(skip_locked=True))
        for report in due:
            Report.objects.filter(pk=report.pk).update(reminded_at=now)
            record(None, Action.UPDATE, report, jurisdiction=report.jurisdiction_id,
                   details={"reminder": "triage overdue", "urgency": report.urgency})
    return due


def take_step(actor, report: Report, step: str, *, assignee: str = "", reason: str = "",
              case: str = "", handling_code: str = HandlingCode.H1, duplicate_of: int | None = None,
              version=None) -> Report:
    """One triage step by name (the API's and the page's one entry)."""
    steps = {
        "review": lambda: start_review(actor, report, version),
        "assign": lambda: assign(actor, report, assignee, version),
        "no_action": lambda: close_without_action(actor, report, reason, version),
        "reopen": lambda: reopen(actor, report, version),
        "new_case": lambda: refer_to_new_case(actor, report, handling_code=handling_code,
                                              version=version),
        "attach": lambda: attach_to_case(actor, report, case, version),
        "duplicate": lambda: mark_duplicate(actor, report, duplicate_of, version),
    }
    if step not in steps:
        raise ValidationError({"step": _("Unknown step.")})
    return steps[step]()

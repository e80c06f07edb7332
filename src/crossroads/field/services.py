"""Writes of field capture: receive a sealed submission from a device, open it with the node's
field key and record it through the same services as the online forms (registry registration,
assistance screening and contact note, the tips app's triage queue for a report from the
field: their policy, validation, audit and duplicate detection), or keep it for a person to
decide when the case or person changed since a screening's capture, or when it fails the
validation the online form would have shown.

A content id makes one record: the same submission sent again (under any idempotency key) gets
the first receipt; another body under a content id already used is refused."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from crossroads.access.actions import CHANGE
from crossroads.access.policy import require, require_capability, restrict
from crossroads.assistance.models import StatusDecision
from crossroads.assistance.services import contacts
from crossroads.assistance.services.identification import open_file, screen
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry import services as registry
from crossroads.registry.choices import VICTIM_ROLES, InvolvementRole
from crossroads.registry.models import Case, Involvement
from crossroads.registry.schemas import RegistrationIn, person_input
from crossroads.tips import services as tips
from crossroads.validation import collect

from .choices import OPEN_STATUSES, Kind, Status
from .models import Submission
from .rules import FIELD_CAPTURE
from .schemas import ContactNoteData, FieldReportData, ScreeningData, TargetData
from .sealed import captured_at as _captured_at
from .sealed import digest as _digest
from .sealed import open_content


@dataclass
class Sealed:
    content_id: str
    kind: str
    sealed: dict


def _problems(error: ValidationError, prefix: list, renamed: dict | None = None) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [{"loc": [*prefix, *(renamed or {}).get(name, name).split(".")],
                 "msg": " ".join(m for e in errs for m in e.messages)}
                for name, errs in error.error_dict.items()]
    return [{"loc": prefix, "msg": " ".join(error.messages)}]


def _schema_problems(error: SchemaError) -> list[dict]:
    return [{"loc": ["data", *error_["loc"]], "msg": str(error_["msg"]).removeprefix(
        "Value error, ")} for error_ in error.errors()]


class _Held(Exception):
    """The submission is kept on the node for a person: `status` and `problems`."""

    def __init__(self, status: str, problems: list[dict]):
        self.status, self.problems = status, problems


def receive(actor, data: Sealed) -> tuple[Submission, bool]:
    """(the submission's row, True if it was received before)."""
    require_capability(actor, FIELD_CAPTURE)
    digest = _digest(data.sealed)
    first = Submission.objects.filter(content_id=data.content_id).first()
    if first is not None:
        if first.submitted_by_id != actor.pk or first.digest != digest or first.kind != data.kind:
            raise ValidationError({"content_id": _(
                "Another submission with this content id was received already; a device makes "
                "a new content id for each capture.")})
        return first, True
    content = open_content(data)
    captured_at = _captured_at(content)
    with transaction.atomic():
        submission = Submission.objects.create(
            content_id=data.content_id, kind=data.kind, status=Status.NEEDS_CORRECTION,
            submitted_by=actor, agency_id=actor.agency_id, jurisdiction_id=actor.jurisdiction_id,
            captured_at=captured_at, digest=digest, sealed=data.sealed)
        _apply_or_hold(actor, submission, content["data"], check_conflicts=True)
        record(actor, Action.CREATE, submission, details={
            "kind": submission.kind, "status": submission.status,
            "problems": len(submission.problems)})
    return submission, False


def _apply_or_hold(actor, submission: Submission, data: dict, *, check_conflicts: bool) -> None:
    try:
        with transaction.atomic():
            APPLY[submission.kind](actor, submission, data, check_conflicts=check_conflicts)
    except _Held as held:
        submission.status, submission.problems = held.status, held.problems
    except ValidationError as error:
        submission.status, submission.problems = Status.NEEDS_CORRECTION, _problems(error, ["data"])
    else:
        submission.status, submission.problems = Status.APPLIED, []
        submission.applied_at, submission.sealed = timezone.now(), None
    submission.save()


def _parse(schema, data: dict):
    try:
        return schema.model_validate(data)
    except SchemaError as error:
        raise _Held(Status.NEEDS_CORRECTION, _schema_problems(error)) from None


def _register(actor, submission: Submission, data: dict, *, check_conflicts: bool) -> None:
    """The online registration (registry.services.register_victim), as a presumed victim; a
    registration has nothing on the node to conflict with."""
    payload = _parse(RegistrationIn, {**data, "role": InvolvementRole.PRESUMED_VICTIM})
    person, case, _record = registry.register_victim(
        actor, person_input(payload.person), registry.CaseInput(**payload.case.dict()),
        registry.ExploitationInput(**payload.exploitation.dict()), role=payload.role)
    submission.person, submission.case = person, case


def _target(actor, submission: Submission, target: TargetData):
    """(case, person, the time since which a change is a conflict)."""
    if target.registration:
        source = restrict(Submission.objects, actor, CHANGE).filter(
            content_id=target.registration, kind=Kind.REGISTRATION, status=Status.APPLIED).first()
        if source is None:
            raise ValidationError({"registration": _(
                "The registration this screening belongs to has not been recorded (yet).")})
        return source.case, source.person, source.applied_at
    case = restrict(Case.objects, actor, CHANGE).filter(reference=target.case_reference).first()
    if case is None:
        raise ValidationError({"case_reference": _("No case you may work on has this reference.")})
    victims = Involvement.objects.filter(case=case, role__in=VICTIM_ROLES).select_related("person")
    if target.person_id is not None:
        victims = victims.filter(person_id=target.person_id)
    found = list(victims)
    if len(found) != 1:
        raise ValidationError({"person_id": _(
            "Give the number of the person screened: the case has no victim of this number, or "
            "more than one victim.") if found or target.person_id else _(
            "The case has no victim or presumed victim.")})
    return case, found[0].person, submission.captured_at


def _conflicts(case, person, since) -> list[dict]:
    found = []
    if case.updated_at > since:
        found.append({"loc": ["case"], "msg": _(
            "The case changed on the node after the capture (status, handling code or team).")})
    if person.updated_at > since:
        found.append({"loc": ["person"], "msg": _(
            "The person's record changed on the node after the capture.")})
    if StatusDecision.objects.filter(file__case=case, file__person=person,
                                     decided_at__gt=since).exists():
        found.append({"loc": ["identification"], "msg": _(
            "An identification decision was recorded for this person after the capture.")})
    return found


def _screen(actor, submission: Submission, data: dict, *, check_conflicts: bool) -> None:
    """The online screening (assistance.services.identification: open the file, screen)."""
    target = _parse(ScreeningData, data)
    case, person, since = _target(actor, submission, target)
    if check_conflicts:
        conflicts = _conflicts(case, person, since)
        if conflicts:
            submission.case, submission.person = case, person
            raise _Held(Status.CONFLICT, conflicts)
    file = open_file(actor, case, person, may_be_child=target.may_be_child)
    submission.screening = screen(actor, file, target.indicators, target.notes)
    submission.case, submission.person = case, person


def _contact(actor, submission: Submission, data: dict, *, check_conflicts: bool) -> None:
    """The contact note (assistance.services.contacts) on the person's file in the case. A note
    only adds to the file: a case or person changed since the capture is no conflict."""
    target = _parse(ContactNoteData, data)
    note = contacts.ContactInput(contacted_on=target.contacted_on, mode=target.mode,
                                 narrative=target.narrative)
    with collect() as errors:  # the target's and the note's mistakes at once
        found = errors.check(_target, actor, submission, target)
        errors.check(contacts.check_contact, note)
    case, person, _since = found
    file = open_file(actor, case, person)
    submission.contact_note = contacts.record_contact(actor, file, note)
    submission.case, submission.person = case, person


def _field_report(actor, submission: Submission, data: dict, *, check_conflicts: bool) -> None:
    """Into the tips app's triage queue (tips.services.file_field_report): channel "field",
    entered by the worker, triaged by police and NGOs with the reports from the public and the
    hotline. Its receipt code is for a reporter who comes back: a worker needs none."""
    values = _parse(FieldReportData, data).dict()
    seen_at = values.pop("seen_at")
    try:
        submission.report, _code = tips.file_field_report(
            tips.ReportInput(**values, call_at=seen_at), worker=actor)
    except ValidationError as error:
        raise _Held(Status.NEEDS_CORRECTION,
                    _problems(error, ["data"], {"call_at": "seen_at"})) from None


# How each kind is recorded: (actor, submission, data, *, check_conflicts).
APPLY = {Kind.REGISTRATION: _register, Kind.SCREENING: _screen, Kind.CONTACT_NOTE: _contact,
         Kind.FIELD_REPORT: _field_report}


def resolve(actor, submission: Submission, decision: str) -> Submission:
    """A person's decision on a kept submission: "apply" records it as captured (the changes
    on the node stay as they are: a screening adds a record, it overwrites nothing), "discard"
    drops it (its content is erased; the receipt stays)."""
    require_capability(actor, FIELD_CAPTURE)
    require(actor, CHANGE, submission)
    if decision not in {"apply", "discard"}:
        raise ValidationError({"decision": _("Choose “apply” or “discard”.")})
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status not in OPEN_STATUSES:
            raise ValidationError({"decision": _("This submission was decided already.")})
        before = locked.status
        if decision == "discard":
            locked.status, locked.sealed = Status.DISCARDED, None
            locked.save(update_fields=["status", "sealed"])
        else:
            content = open_content(locked)
            _apply_or_hold(actor, locked, content["data"], check_conflicts=False)
        locked.resolved_by = actor
        locked.save(update_fields=["resolved_by"])
        record(actor, Action.UPDATE, locked, details={"from": before, "to": locked.status,
                                                       "decision": decision})
    return locked


__all__ = ["Sealed", "open_content", "receive", "resolve"]

"""Filing a report and the reporter's replies. The reporter has no account: what they may do
is bound to the receipt code alone, and nothing about them (address, agent) is passed in."""

import datetime
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.validation import refuse_hidden
from crossroads.validation import collect

from .. import places, receipts
from ..choices import HOTLINE_CHANNELS, TRIAGE_DEADLINE, Affected, Author, Channel, Occurred, Urgency
from ..models import Message, Report
from ..rules import ENTER_CALL, FILE_FIELD_REPORT

TEXT_MAX = 10_000
SHORT_MAX = 300


@dataclass
class ReportInput:
    text: str
    municipality: str
    language: str = "en"
    place: str = ""
    occurred: str = Occurred.UNKNOWN
    affected: str = Affected.UNKNOWN
    urgency: str = Urgency.ROUTINE
    contact: str = ""
    # Hotline calls and reports from the field only (call_at: when the call came or when it
    # was seen).
    channel: str = Channel.WEB
    call_at: datetime.datetime | None = None
    call_notes: str = ""


def _text(errors, value: str, field: str, *, required: bool, limit: int) -> str:
    value = (errors.check(refuse_hidden, value or "", field) or "").strip()
    if required and not value:
        errors.add({field: _("Write something here.")})
    elif len(value) > limit:
        errors.add({field: _("Shorten this to at most %(max)s characters.") % {"max": limit}})
    return value


def _choice(errors, value: str, vocabulary, field: str) -> str:
    if value not in vocabulary.values:
        errors.add({field: _("Choose one of the listed answers.")})
    return value


def _values(data: ReportInput, *, channels=(), when_missing: str = "") -> dict:
    """The report's columns; `channels` (and the time, `when_missing` its message) for a report
    entered by a person: a hotline call, a report from the field."""
    with collect() as errors:
        text = _text(errors, data.text, "text", required=True, limit=TEXT_MAX)
        where = places.parse(data.municipality or "")
        if where is None:
            errors.add({"municipality": _("Choose a municipality from the list.")})
        place = _text(errors, data.place, "place", required=bool(where and not where[1]),
                      limit=SHORT_MAX)
        if data.language not in dict(settings.LANGUAGES):
            errors.add({"language": _("Choose one of the six languages.")})
        _choice(errors, data.occurred, Occurred, "occurred")
        _choice(errors, data.affected, Affected, "affected")
        _choice(errors, data.urgency, Urgency, "urgency")
        contact = _text(errors, data.contact, "contact", required=False, limit=SHORT_MAX)
        notes = ""
        if channels:
            if data.channel not in channels:
                errors.add({"channel": _("Choose how the call came in.")})
            if data.call_at is None:
                errors.add({"call_at": when_missing})
            elif data.call_at > timezone.now():
                errors.add({"call_at": _("The time lies in the future.")})
            notes = _text(errors, data.call_notes, "call_notes", required=False, limit=TEXT_MAX)
    jurisdiction, municipality = where
    return {"jurisdiction_id": jurisdiction, "municipality": municipality, "place": place,
            "what_happened": text, "language": data.language, "occurred": data.occurred,
            "affected": data.affected, "urgency": data.urgency, "contact": contact,
            "channel": data.channel if channels else Channel.WEB,
            "call_at": data.call_at if channels else None, "call_notes": notes}


def file_report(data: ReportInput, *, operator=None) -> tuple[Report, str]:
    """A new report and its receipt code, which the caller shows once and forgets. From the
    web form and the public API `operator` is None; a hotline operator enters a call."""
    if operator is None:
        return _file(_values(data), None)
    require_capability(operator, ENTER_CALL)
    return _file(_values(data, channels=HOTLINE_CHANNELS,
                         when_missing=_("Give the time of the call.")), operator)


def file_field_report(data: ReportInput, *, worker) -> tuple[Report, str]:
    """What an outreach worker or a labour inspector saw, entered by them (named) into their
    jurisdiction's triage queue, channel "field"; `data.call_at` is when it was seen."""
    require_capability(worker, FILE_FIELD_REPORT)
    return _file(_values(replace(data, channel=Channel.FIELD), channels=[Channel.FIELD],
                         when_missing=_("Give the time of the observation.")), worker)


def _file(values: dict, entered_by) -> tuple[Report, str]:
    if entered_by is not None and values["jurisdiction_id"] != entered_by.jurisdiction_id:
        raise ValidationError({"municipality": _("Choose a municipality of your jurisdiction.")})
    code = receipts.new_code()
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.create(
            **values, receipt_digest=receipts.digest(code), received_at=now,
            due_at=now + TRIAGE_DEADLINE[values["urgency"]], entered_by=entered_by)
        record(entered_by, Action.CREATE, report, jurisdiction=report.jurisdiction_id,
               details={"channel": report.channel, "urgency": report.urgency})
    return report, code


def reply_as_reporter(report: Report, text: str) -> Message:
    """The reporter adds information (found by their receipt, `queries.by_receipt`)."""
    with collect() as errors:
        body = _text(errors, text, "text", required=True, limit=TEXT_MAX)
    with transaction.atomic():
        message = Message.objects.create(report=report, author=Author.REPORTER, body=body)
        record(None, Action.CREATE, message, jurisdiction=report.jurisdiction_id,
               details={"report": report.pk, "from": Author.REPORTER})
    return message

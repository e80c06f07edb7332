"""The case log: dated entries written by law enforcement of the case, and evidence files
attached to them, type- and size-checked, fingerprinted (SHA-256) at upload."""

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import Case
from crossroads.text import clean_text

from ..choices import EVIDENCE_TYPES, EventKind
from ..models import CaseEvent, EvidenceFile
from ..rules import WRITE_LOG


@dataclass
class EventInput:
    kind: str
    occurred_on: datetime.date
    narrative: str
    participants: str = ""


def add_event(actor, case: Case, data: EventInput) -> CaseEvent:
    # What `rules.event_rule` lets change: the case, by law enforcement who may write a log.
    require(actor, CHANGE, case)
    require_capability(actor, WRITE_LOG)
    if data.kind not in EventKind.values:
        raise ValidationError({"kind": _("Unknown kind of event.")})
    if data.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date lies in the future.")})
    if data.occurred_on < datetime.date(1990, 1, 1):
        raise ValidationError({"occurred_on": _("The date is out of range.")})
    narrative = data.narrative.strip()
    if not narrative:
        raise ValidationError({"narrative": _("Say what happened.")})
    event = CaseEvent(case=case, kind=data.kind, occurred_on=data.occurred_on,
                      narrative=narrative[:20000], participants=clean_text(data.participants)[:1000],
                      author=actor)
    with transaction.atomic():
        event.save()
        record(actor, Action.CREATE, event, details={"case": case.pk, "kind": event.kind})
    return event


def sniff(filename: str, content: bytes) -> str:
    """The file's type as its first bytes show it, refused unless allowed and named for it."""
    suffix = PurePath(filename).suffix.lower()
    for content_type, (magic, suffixes) in EVIDENCE_TYPES.items():
        if magic is not None and content.startswith(magic):
            if suffix not in suffixes:
                raise ValidationError({"file": _("The file's name does not fit its content.")})
            return content_type
    if suffix in EVIDENCE_TYPES["text/plain"][1]:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and all(ch.isprintable() or ch in "\r\n\t" for ch in text):
            return "text/plain"
    raise ValidationError({"file": _("Files of this type are not accepted (PDF, JPEG, PNG, "
                                     "plain text).")})


def attach_evidence(actor, event: CaseEvent, filename: str, content: bytes) -> EvidenceFile:
    require(actor, CHANGE, event)
    filename = clean_text(PurePath(filename.replace("\\", "/")).name)[:200]
    if not filename:
        raise ValidationError({"file": _("The file has no name.")})
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > settings.CROSSROADS_EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(size)s MB.") % {
            "size": settings.CROSSROADS_EVIDENCE_MAX_BYTES // (1024 * 1024)}})
    content_type = sniff(filename, content)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        evidence = EvidenceFile.objects.create(
            event=event, filename=filename, content_type=content_type, size=len(content),
            sha256=digest, content=content, uploaded_by=actor)
        record(actor, Action.CREATE, evidence, details={
            "case": event.case_id, "event": event.pk, "sha256": digest, "size": len(content)})
    return evidence

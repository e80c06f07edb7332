"""Residence permits of foreign victims as decisions with their dates (CETS 197 Art. 14): the
application, the decision (granted, refused or still pending), its ground, the validity of a
granted permit and its renewals. Deciding completes the file's residence-permit timer, which
only said by when a decision was due."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.versions import check, claim

from ..checks import collected_text, require_editor
from ..choices import PermitDecision, PermitGround, TimerKind
from ..models import ResidencePermit, VictimFile
from .timers import complete_by_decision


@dataclass
class PermitInput:
    ground: str
    applied_on: datetime.date | None
    decision: str = PermitDecision.PENDING
    decided_on: datetime.date | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    renewal_of: int | None = None
    note: str = ""


def _errors(file: VictimFile, data: PermitInput, permit: ResidencePermit | None) -> dict:
    """Every mistake of the input at once, by field."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not file.foreign:
        errors["file"] = _("A residence permit is for a victim who is not a national.")
    if data.ground not in PermitGround.values:
        errors["ground"] = _("Choose the ground of the permit.")
    if data.decision not in PermitDecision.values:
        errors["decision"] = _("Choose pending, granted or refused.")
    if data.applied_on is None:
        errors["applied_on"] = _("Give the date of the application.")
    elif data.applied_on > today:
        errors["applied_on"] = _("This date is in the future.")
    decided = data.decision in {PermitDecision.GRANTED, PermitDecision.REFUSED}
    if decided and data.decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    elif not decided and data.decided_on is not None:
        errors["decided_on"] = _("A pending application has no decision date.")
    elif data.decided_on and data.decided_on > today:
        errors["decided_on"] = _("This date is in the future.")
    elif data.decided_on and data.applied_on and data.decided_on < data.applied_on:
        errors["decided_on"] = _("The decision cannot come before the application.")
    if data.decision == PermitDecision.GRANTED:
        for field in ("valid_from", "valid_until"):
            if getattr(data, field) is None:
                errors[field] = _("A granted permit is valid from and until a date.")
        if data.valid_from and data.valid_until and data.valid_until <= data.valid_from:
            errors["valid_until"] = _("The permit must end after it starts.")
    else:
        for field in ("valid_from", "valid_until"):
            if getattr(data, field) is not None:
                errors[field] = _("Only a granted permit has a validity.")
    if data.renewal_of is not None:
        renewed = file.permits.filter(pk=data.renewal_of).first()
        if renewed is None or renewed.decision != PermitDecision.GRANTED or (
                permit is not None and renewed.pk == permit.pk):
            errors["renewal_of"] = _("A renewal names a granted permit of this file.")
        elif data.applied_on and data.applied_on < renewed.applied_on:
            errors["applied_on"] = _("A renewal is applied for after the permit it renews.")
    return errors


def _validated(file, data: PermitInput, permit=None) -> str:
    errors = _errors(file, data, permit)
    note = collected_text(errors, "note", data.note)
    if errors:
        raise ValidationError(errors)
    return note


def _fields(data: PermitInput, note: str) -> dict:
    return {"ground": data.ground, "applied_on": data.applied_on, "decision": data.decision,
            "decided_on": data.decided_on, "valid_from": data.valid_from,
            "valid_until": data.valid_until, "renewal_of_id": data.renewal_of, "note": note}


def _audited(permit: ResidencePermit) -> dict:
    return {"file": permit.file_id, "ground": permit.ground, "decision": permit.decision,
            **{f: getattr(permit, f) and getattr(permit, f).isoformat()
               for f in ("applied_on", "decided_on", "valid_from", "valid_until")},
            "renewal_of": permit.renewal_of_id}


def _complete_timer(actor, permit: ResidencePermit) -> None:
    if permit.decision != PermitDecision.PENDING:
        complete_by_decision(actor, permit.file_id, TimerKind.RESIDENCE_PERMIT, permit.decided_on,
                             str(PermitDecision(permit.decision).label), permit=permit.pk)


def check_permit(actor, file: VictimFile, data: PermitInput,
                 permit: ResidencePermit | None = None) -> str:
    """The input's mistakes, all at once (ValidationError), for whom may write the file's
    permits; the note to store otherwise."""
    require_editor(actor, file)
    return _validated(file, data, permit)


def record_permit(actor, file: VictimFile, data: PermitInput) -> ResidencePermit:
    note = check_permit(actor, file, data)
    with transaction.atomic():
        permit = ResidencePermit.objects.create(file=file, recorded_by=actor, **_fields(data, note))
        record(actor, Action.CREATE, permit, details=_audited(permit))
        _complete_timer(actor, permit)
    return permit


def update_permit(actor, permit: ResidencePermit, data: PermitInput, *,
                  version: int | tuple[int, ...] | None = None) -> ResidencePermit:
    """Correct the application or record its decision; with `version`, a change built from an
    older read is refused (StaleVersion) and nothing is written."""
    require_editor(actor, permit.file)
    check(permit, version)
    note = _validated(permit.file, data, permit)
    with transaction.atomic():
        claim(permit, version)
        for name, value in _fields(data, note).items():
            setattr(permit, name, value)
        permit.save()
        record(actor, Action.UPDATE, permit, details=_audited(permit))
        _complete_timer(actor, permit)
    return permit

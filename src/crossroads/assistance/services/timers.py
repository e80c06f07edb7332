"""Protection timers: recovery and reflection period (CETS 197 Art. 13), residence permit for
foreign victims (Art. 14), guardian for unaccompanied children (Art. 10(4)). The number of
days is the jurisdiction's configuration (defaults in `vocabularies`, not law)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record

from ..checks import require_editor, required_text
from ..choices import MIN_REFLECTION_DAYS, IdentificationStatus, TimerKind
from ..models import ProtectionConfig, ProtectionTimer


def config_for(jurisdiction_id: str) -> ProtectionConfig:
    config = ProtectionConfig.objects.filter(jurisdiction_id=jurisdiction_id).first()
    return config or ProtectionConfig(jurisdiction_id=jurisdiction_id)


def configure(actor, *, reflection_days: int, residence_permit_days: int,
              guardian_days: int) -> ProtectionConfig:
    require_capability(actor, "configure_protection")
    if reflection_days < MIN_REFLECTION_DAYS:
        raise ValidationError({"reflection_days": _(
            "CETS 197 Art. 13 asks for at least %(days)d days.") % {"days": MIN_REFLECTION_DAYS}})
    for field, value in (("residence_permit_days", residence_permit_days),
                         ("guardian_days", guardian_days)):
        if not 1 <= value <= 365:
            raise ValidationError({field: _("Use a number of days from 1 to 365.")})
    with transaction.atomic():
        config, _created = ProtectionConfig.objects.update_or_create(
            jurisdiction_id=actor.jurisdiction_id, defaults={
                "reflection_days": reflection_days, "residence_permit_days": residence_permit_days,
                "guardian_days": guardian_days, "updated_at": timezone.now()})
        record(actor, Action.UPDATE, config, object_id=config.pk, details={
            "reflection_days": reflection_days, "residence_permit_days": residence_permit_days,
            "guardian_days": guardian_days})
    return config


REASONABLE_GROUNDS = {IdentificationStatus.PRESUMED, IdentificationStatus.IDENTIFIED}


def _start(file, kind: str, on: datetime.date) -> None:
    days = config_for(file.case.jurisdiction_id).days_for(kind)
    ProtectionTimer.objects.get_or_create(file=file, kind=kind, defaults={
        "starts_on": on, "due_on": on + datetime.timedelta(days=days)})


def on_status(file, status: str, on: datetime.date) -> None:
    """Start the timers a decision opens (inside the decision's transaction)."""
    if status in REASONABLE_GROUNDS:
        # CETS 197 Art. 13(1): the period is granted "when there are reasonable grounds to
        # believe that the person concerned is a victim", not only once identified; it runs
        # from the first of the two decisions (a later one does not restart it).
        _start(file, TimerKind.REFLECTION, on)
    if status == IdentificationStatus.PRESUMED and file.presumed_child and file.unaccompanied:
        _start(file, TimerKind.GUARDIAN, on)
    if status == IdentificationStatus.IDENTIFIED:
        if file.foreign:
            _start(file, TimerKind.RESIDENCE_PERMIT, on)
        if file.presumed_child and file.unaccompanied:
            _start(file, TimerKind.GUARDIAN, on)


def complete(actor, timer: ProtectionTimer, outcome: str) -> ProtectionTimer:
    require_editor(actor, timer.file)
    if timer.completed_on:
        raise ValidationError({"outcome": _("This item is already completed.")})
    timer.outcome = required_text(outcome, "outcome", _("State the outcome."))
    timer.completed_on, timer.completed_by = timezone.localdate(), actor
    with transaction.atomic():
        timer.save(update_fields=["outcome", "completed_on", "completed_by"])
        record(actor, Action.UPDATE, timer, details={"kind": timer.kind, "completed": True})
    return timer


def complete_by_decision(actor, file_id: int, kind: str, on: datetime.date, outcome: str,
                         **source) -> None:
    """The decision a running timer waited for is taken (inside the decision's write): the
    timer is done on its date, with `source` (the deciding record) in the audit."""
    timer = ProtectionTimer.objects.filter(file_id=file_id, kind=kind,
                                           completed_on__isnull=True).first()
    if timer is None:
        return
    timer.completed_on, timer.completed_by, timer.outcome = on, actor, outcome
    timer.save(update_fields=["completed_on", "completed_by", "outcome"])
    record(actor, Action.UPDATE, timer, details={"kind": kind, "completed": True, **source})

"""The assistance plan (services planned, delivered or refused) and reintegration milestones,
with follow-ups after the person leaves the programme."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.models import Agency
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.versions import check, claim

from ..checks import require_care
from ..choices import MilestoneKind, ServiceKind, ServiceStatus
from ..models import Milestone, Service, VictimFile


def _not_future(on: datetime.date, field: str) -> datetime.date:
    if on > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    return on


def plan_service(actor, file: VictimFile, kind: str, *, planned_on: datetime.date | None = None,
                 provider: int | None = None, note: str = "") -> Service:
    require_care(actor, file)
    if kind not in ServiceKind.values:
        raise ValidationError({"kind": _("Use one of: %(codes)s.") % {
            "codes": ", ".join(ServiceKind.values)}})
    if provider is not None and not Agency.objects.filter(
            pk=provider, jurisdiction_id=file.case.jurisdiction_id).exists():
        raise ValidationError({"provider": _("No agency of this jurisdiction has this id.")})
    with transaction.atomic():
        service = Service.objects.create(file=file, kind=kind, provider_id=provider,
                                         planned_on=planned_on or timezone.localdate(),
                                         note=note.strip(), recorded_by=actor)
        record(actor, Action.CREATE, service, details={"file": file.pk, "kind": kind})
    return service


def update_service(actor, service: Service, status: str, on: datetime.date | None = None,
                   note: str = "", *, version: int | tuple[int, ...] | None = None) -> Service:
    """Record a planned service as delivered or refused, on a date. Compare-and-set on the
    planned status (and `version` when given): of two updates at once one wins, the other
    gets StaleVersion (crossroads.versions)."""
    require_care(actor, service.file)
    check(service, version)
    if status not in {ServiceStatus.DELIVERED, ServiceStatus.REFUSED}:
        raise ValidationError({"status": _("A service is delivered or refused.")})
    if service.status != ServiceStatus.PLANNED:
        raise ValidationError({"status": _("Only a planned service can change.")})
    on = _not_future(on or timezone.localdate(), "on")
    service.status = status
    service.delivered_on = on if status == ServiceStatus.DELIVERED else None
    service.refused_on = on if status == ServiceStatus.REFUSED else None
    if note.strip():
        service.note = note.strip()
    with transaction.atomic():
        claim(service, version, status=ServiceStatus.PLANNED)
        service.save()
        record(actor, Action.UPDATE, service, details={"status": status, "on": on.isoformat()})
    return service


def add_milestone(actor, file: VictimFile, kind: str, reached_on: datetime.date,
                  note: str = "") -> Milestone:
    require_care(actor, file)
    if kind not in MilestoneKind.values:
        raise ValidationError({"kind": _("Use one of: %(codes)s.") % {
            "codes": ", ".join(MilestoneKind.values)}})
    _not_future(reached_on, "reached_on")
    if kind == MilestoneKind.FOLLOW_UP and (not file.exited_on or reached_on < file.exited_on):
        raise ValidationError({"reached_on": _("A follow-up comes after the exit from the "
                                               "programme.")})
    if kind == MilestoneKind.EXIT and file.exited_on:
        raise ValidationError({"kind": _("The exit is already recorded.")})
    with transaction.atomic():
        milestone = Milestone.objects.create(file=file, kind=kind, reached_on=reached_on,
                                             note=note.strip(), recorded_by=actor)
        if kind == MilestoneKind.EXIT:
            file.exited_on = reached_on
            file.save(update_fields=["exited_on"])
        record(actor, Action.CREATE, milestone, details={"file": file.pk, "kind": kind})
    return milestone

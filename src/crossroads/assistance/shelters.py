"""Shelters: places, admissions and discharges, occupancy by date, and the capacity overview
(counts only: coordinators see where beds are free, never who stays)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import VIEW
from crossroads.audit.models import Action
from crossroads.audit.services import record

from .checks import require_care, require_change
from .models import Shelter, ShelterStay, VictimFile


def _staying(on: datetime.date) -> Q:
    return Q(admitted_on__lte=on) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=on))


def occupancy(shelter: Shelter, on: datetime.date | None = None) -> int:
    return shelter.stays.filter(_staying(on or timezone.localdate())).count()


def _full_from(shelter: Shelter, on: datetime.date) -> bool:
    """Whether a stay beginning `on` (open-ended) would exceed the places on some day: the
    occupancy only rises on admission days, so those are the days to check."""
    days = {on, *shelter.stays.filter(admitted_on__gt=on).values_list("admitted_on", flat=True)}
    return any(occupancy(shelter, day) >= shelter.capacity for day in days)


def admit(actor, shelter: Shelter, file: VictimFile, admitted_on: datetime.date | None = None):
    require_change(actor, shelter)
    require_care(actor, file)
    admitted_on = admitted_on or timezone.localdate()
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": _("This date is in the future.")})
    if file.presumed_child and not shelter.accepts_children:
        raise ValidationError({"shelter": _("This shelter does not accept children.")})
    with transaction.atomic():
        shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
        if ShelterStay.objects.filter(file__person_id=file.person_id,
                                      discharged_on__isnull=True).exists():
            raise ValidationError({"file": _("This person already stays in a shelter.")})
        if not shelter.active or _full_from(shelter, admitted_on):
            raise ValidationError({"shelter": _(
                "%(shelter)s is full: all %(places)d places are taken.") % {
                "shelter": shelter.name, "places": shelter.capacity}})
        stay = ShelterStay.objects.create(shelter=shelter, file=file, admitted_on=admitted_on,
                                          admitted_by=actor)
        record(actor, Action.CREATE, stay, details={"shelter": shelter.pk, "file": file.pk})
    return stay


def discharge(actor, stay: ShelterStay, on: datetime.date | None = None) -> ShelterStay:
    require_care(actor, stay.file)
    on = on or timezone.localdate()
    if stay.discharged_on:
        raise ValidationError({"discharged_on": _("Already discharged.")})
    if on < stay.admitted_on or on > timezone.localdate():
        raise ValidationError({"discharged_on": _(
            "The discharge falls between the admission and today.")})
    stay.discharged_on, stay.discharged_by = on, actor
    with transaction.atomic():
        stay.save(update_fields=["discharged_on", "discharged_by"])
        record(actor, Action.UPDATE, stay, details={"discharged_on": on.isoformat()})
    return stay


def capacity(user, on: datetime.date | None = None):
    """The shelters the user may see, each with `occupied` and `free` places on the date."""
    on = on or timezone.localdate()
    occupied = (ShelterStay.objects.filter(_staying(on), shelter_id=OuterRef("pk"))
                .values("shelter_id").annotate(n=Count("id")).values("n"))
    shelters = list(Shelter.objects.restrict(user, VIEW).filter(active=True)
                    .select_related("agency")
                    .annotate(occupied=Coalesce(Subquery(occupied), 0)))
    for shelter in shelters:
        shelter.free = max(shelter.capacity - shelter.occupied, 0)
        shelter.full = shelter.free == 0
    return shelters

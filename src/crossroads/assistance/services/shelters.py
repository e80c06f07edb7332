"""Shelters: their register (kept by the case workers of the agency that runs them), places,
admissions and discharges, occupancy by date, and the capacity overview (counts only:
coordinators see where beds are free, never who stays)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crossroads.access.policy import CHANGE, VIEW, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.versions import check, claim

from ..checks import require_care, required_text
from ..models import Shelter, ShelterStay, VictimFile

MAX_PLACES = 999


def occupancy(shelter: Shelter, on: datetime.date | None = None) -> int:
    return shelter.stays.staying_on(on or timezone.localdate()).count()


def _full_from(shelter: Shelter, on: datetime.date) -> bool:
    """Whether a stay beginning `on` (open-ended) would exceed the places on some day: the
    occupancy only rises on admission days, so those are the days to check."""
    days = {on, *shelter.stays.filter(admitted_on__gt=on).values_list("admitted_on", flat=True)}
    return any(occupancy(shelter, day) >= shelter.capacity for day in days)


def admit(actor, shelter: Shelter, file: VictimFile, admitted_on: datetime.date | None = None):
    require(actor, CHANGE, shelter)
    require_care(actor, file)
    admitted_on = admitted_on or timezone.localdate()
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": _("This date is in the future.")})
    if file.presumed_child and not shelter.accepts_children:
        raise ValidationError({"shelter": _("This shelter does not accept children.")})
    with transaction.atomic():
        shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
        if ShelterStay.objects.current().filter(file__person_id=file.person_id).exists():
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


def with_occupancy(shelters, on: datetime.date | None = None) -> list[Shelter]:
    """The shelters, each with `occupied` and `free` places on the date (today by default)."""
    on = on or timezone.localdate()
    occupied = (ShelterStay.objects.staying_on(on).filter(shelter_id=OuterRef("pk"))
                .values("shelter_id").annotate(n=Count("id")).values("n"))
    found = list(shelters.select_related("agency").annotate(occupied=Coalesce(Subquery(occupied), 0)))
    for shelter in found:
        shelter.free = max(shelter.capacity - shelter.occupied, 0)
        shelter.full = shelter.free == 0
    return found


def admittable(user) -> list[Shelter]:
    """The open shelters the user may admit to (those of their own agency), with today's places."""
    return with_occupancy(Shelter.objects.restrict(user, CHANGE).filter(active=True))


def capacity(user, on: datetime.date | None = None):
    """The open shelters the user may see, with their places taken and free on the date."""
    return with_occupancy(Shelter.objects.restrict(user, VIEW).filter(active=True), on)


def _checked(shelter: Shelter, name: str, capacity: int) -> None:
    """A name unique within the agency and a number of places from 1 to MAX_PLACES."""
    name = required_text(name, "name", _("Give the shelter a name."))[:200]
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_PLACES:
        raise ValidationError({"capacity": _("Enter a number of places from 1 to %(max)d.") % {
            "max": MAX_PLACES}})
    same = Shelter.objects.filter(agency_id=shelter.agency_id, name__iexact=name)
    if same.exclude(pk=shelter.pk).exists():
        raise ValidationError({"name": _("Your agency already has a shelter of this name.")})
    shelter.name, shelter.capacity = name, capacity


def register(actor, name: str, capacity: int, accepts_children: bool = False) -> Shelter:
    """A new shelter of the actor's own agency (its case workers keep the register)."""
    require_capability(actor, "manage_shelters")
    shelter = Shelter(agency_id=actor.agency_id, accepts_children=accepts_children)
    _checked(shelter, name, capacity)
    with transaction.atomic():
        shelter.save()
        record(actor, Action.CREATE, shelter, details={
            "capacity": shelter.capacity, "accepts_children": shelter.accepts_children})
    return shelter


def update(actor, shelter: Shelter, *, name: str, capacity: int, accepts_children: bool,
           active: bool, version: int | tuple[int, ...] | None = None) -> Shelter:
    """Change a shelter of the actor's agency. Its places cannot drop below the persons staying
    there, it cannot stop taking children while a child stays, nor close while anyone does.
    Built from `version`, it is refused with StaleVersion if another change came first."""
    require(actor, CHANGE, shelter)
    check(shelter, version)
    with transaction.atomic():
        claim(shelter, version)
        shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
        before = {"name": shelter.name, "capacity": shelter.capacity,
                  "accepts_children": shelter.accepts_children, "active": shelter.active}
        _checked(shelter, name, capacity)
        staying = shelter.stays.current()
        n = staying.count()
        if shelter.capacity < n:
            raise ValidationError({"capacity": ngettext(
                "%(n)d person stays there now: discharge them before lowering the places.",
                "%(n)d persons stay there now: discharge them before lowering the places.",
                n) % {"n": n}})
        if not active and staying.exists():
            raise ValidationError({"active": _("Persons stay there now: discharge them before "
                                               "closing the shelter.")})
        if not accepts_children and staying.filter(file__presumed_child=True).exists():
            raise ValidationError({"accepts_children": _("A child stays there now.")})
        shelter.accepts_children, shelter.active = accepts_children, active
        shelter.save()
        after = {"name": shelter.name, "capacity": shelter.capacity,
                 "accepts_children": shelter.accepts_children, "active": shelter.active}
        record(actor, Action.UPDATE, shelter, details={
            key: [before[key], after[key]] for key in before if before[key] != after[key]})
    return shelter

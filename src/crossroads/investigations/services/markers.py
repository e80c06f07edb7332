"""Organised-crime groups and the markers of a suspect (public official, group)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from crossroads.access.models import Agency
from crossroads.access.policy import CHANGE, VIEW, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.choices import SUSPECT_ROLES
from crossroads.registry.models import Case
from crossroads.text import clean_text

from ..models import CrimeGroup, SuspectMarker
from ..rules import WRITE_LOG
from .lead import check_version, locked


def name_group(actor, name: str) -> CrimeGroup:
    require_capability(actor, WRITE_LOG)
    name = clean_text(name)[:200]
    if not name:
        raise ValidationError({"name": _("Give the group's name.")})
    try:
        with transaction.atomic():
            group = CrimeGroup.objects.create(jurisdiction_id=actor.jurisdiction_id, name=name,
                                              created_by=actor)
            record(actor, Action.CREATE, group)
    except IntegrityError:
        raise ValidationError({"name": _("A group of this name is known already.")}) from None
    return group


def mark_suspect(actor, case: Case, person_id: int, *, public_official: bool,
                 group_id: int | None, official_agency_id: int | None = None,
                 version: int | tuple[int, ...] | None = None) -> SuspectMarker:
    """The markers of a suspect of the case. They are part of what the case shows, so they
    move the case to its next version: with `version` (the case's, as read) a change built
    from an older read raises StaleVersion and writes nothing."""
    require(actor, CHANGE, case)
    require_capability(actor, WRITE_LOG)
    check_version(case, version)
    involvement = case.involvements.filter(person_id=person_id, role__in=SUSPECT_ROLES).first()
    if involvement is None:
        raise ValidationError({"person_id": _("The person is not a suspect in this case.")})
    group = None
    if group_id is not None:
        group = CrimeGroup.objects.restrict(actor, VIEW).filter(pk=group_id).first()
        if group is None:
            raise ValidationError({"group_id": _("No group you may see has this id.")})
    if official_agency_id is not None:
        if not public_official:
            raise ValidationError({"official_agency_id": _(
                "Only a public official has an agency of officials.")})
        if not Agency.objects.filter(pk=official_agency_id,
                                     jurisdiction_id=case.jurisdiction_id).exists():
            raise ValidationError({"official_agency_id": _(
                "No agency of this jurisdiction has this id.")})
    with transaction.atomic():
        locked(case, version)
        marker, _created = SuspectMarker.objects.update_or_create(
            involvement=involvement, defaults={"public_official": public_official,
                                               "group": group, "updated_by": actor,
                                               "official_agency_id": official_agency_id})
        record(actor, Action.UPDATE, marker, details={
            "case": case.pk, "public_official": public_official, "group": group_id,
            "official_agency": official_agency_id})
    return marker

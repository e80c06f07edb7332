"""A new person put into a case in any role, with a registration's identity fields, validation,
encryption, duplicate detection and audit: the registry's own services do each of them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, VIEW, require, require_capability
from crossroads.audit.services import deferred as audit_deferred
from crossroads.registry import services as registry
from crossroads.registry.choices import SUSPECT_ROLES, InvolvementRole
from crossroads.registry.models import Case, Involvement, Person
from crossroads.registry.rules import ADD_SUSPECT
from crossroads.registry.signals import person_saved


def _check_role(actor, case: Case, role: str) -> None:
    require(actor, CHANGE, case)
    if role not in InvolvementRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in SUSPECT_ROLES:
        require_capability(actor, ADD_SUSPECT)


def check_new_person(actor, case: Case, data: registry.PersonInput, role: str) -> None:
    """Every mistake of a new person of the case at once (a ValidationError), writing nothing:
    for a page whose own form refused some fields, the services check the others."""
    require(actor, CHANGE, case)
    if role in SUSPECT_ROLES:
        require_capability(actor, ADD_SUSPECT)
    registry.check_person(data)


def add_existing_person(actor, case: Case, person_id: int, role: str) -> Involvement:
    """A person already recorded (and visible to the actor) put into the case in `role`."""
    _check_role(actor, case, role)
    person = Person.objects.restrict(actor, VIEW).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("No person you may see has this number.")})
    return registry.add_involvement(actor, case, person, role)


def add_person(actor, case: Case, data: registry.PersonInput, role: str) -> Involvement:
    """Create the person and their involvement in `case` in one transaction. The policy is
    asked first (a refusal is audited and nothing is written): the case must be the actor's
    to change, and only the roles that may add suspects add one."""
    _check_role(actor, case, role)
    with transaction.atomic(), audit_deferred():
        person = registry.create_person(actor, data, announce=False)
        involvement = registry.add_involvement(actor, case, person, role)
    # As after a registration: duplicate detection (linkage) hears of the new person.
    person_saved.send(sender=Person, actor=actor, person=person)
    return involvement

"""A new person put into a case in any role, with a registration's identity fields, validation,
encryption, duplicate detection and audit: the registry's own services do each of them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, require, require_capability
from crossroads.audit.services import deferred as audit_deferred
from crossroads.registry import services as registry
from crossroads.registry.choices import SUSPECT_ROLES, InvolvementRole
from crossroads.registry.models import Case, Involvement, Person
from crossroads.registry.rules import ADD_SUSPECT
from crossroads.registry.signals import person_saved


def add_person(actor, case: Case, data: registry.PersonInput, role: str) -> Involvement:
    """Create the person and their involvement in `case` in one transaction. The policy is
    asked first (a refusal is audited and nothing is written): the case must be the actor's
    to change, and only the roles that may add suspects add one."""
    require(actor, CHANGE, case)
    if role not in InvolvementRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in SUSPECT_ROLES:
        require_capability(actor, ADD_SUSPECT)
    with transaction.atomic(), audit_deferred():
        person = registry.create_person(actor, data, announce=False)
        involvement = registry.add_involvement(actor, case, person, role)
    # As after a registration: duplicate detection (linkage) hears of the new person.
    person_saved.send(sender=Person, actor=actor, person=person)
    return involvement

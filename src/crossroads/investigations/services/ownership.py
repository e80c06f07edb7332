"""Transfer of a case to another agency of its jurisdiction, with the account that leads it
there: asked by the case's lead, audited, kept as an `OwnershipTransfer` the case shows."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.models import Agency
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.choices import TeamRole
from crossroads.registry.models import Case

from ..choices import TeamChangeKind
from ..models import OwnershipTransfer
from .handling import required_reason
from .lead import check_version, locked, require_lead
from .team import eligible_account, log, set_lead


def transfer_ownership(actor, case: Case, agency_id: int, lead_username: str,
                       reason: str, version=None) -> OwnershipTransfer:
    """With `version` (the case's, as read) a transfer built from an older read raises
    StaleVersion and writes nothing."""
    require_lead(actor, case)
    check_version(case, version)
    agency = Agency.objects.filter(pk=agency_id, jurisdiction_id=case.jurisdiction_id,
                                   active=True).first()
    if agency is None:
        raise ValidationError({"agency_id": _("No active agency of the case's jurisdiction has "
                                              "this id.")})
    if agency.pk == case.owner_agency_id:
        raise ValidationError({"agency_id": _("The case already belongs to this agency.")})
    reason = required_reason(reason)
    with transaction.atomic():
        case = locked(case, version)
        from_agency_id = case.owner_agency_id
        case.owner_agency = agency
        lead = eligible_account(case, lead_username, TeamRole.LEAD)
        case.save(update_fields=["owner_agency", "updated_at"])
        transfer = OwnershipTransfer.objects.create(
            case=case, from_agency_id=from_agency_id, to_agency=agency, new_lead=lead,
            transferred_by=actor, reason=reason)
        record(actor, Action.UPDATE, case, details={"owner_agency": [from_agency_id, agency.pk]})
        log(actor, case, TeamChangeKind.OWNERSHIP_TRANSFERRED, lead, TeamRole.LEAD,
            agency=agency.pk)
        set_lead(actor, case, lead)
    return transfer

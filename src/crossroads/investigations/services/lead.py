"""Who manages a case: its lead (of the owner agency), through the policy."""

from django.db import transaction

from crossroads.access.policy import CHANGE, PolicyDenied, require, require_capability
from crossroads.audit.services import record_denied
from crossroads.registry.models import Case
from crossroads.versions import check, claim

from ..rules import MANAGE_TEAM, led_q

MANAGE = "manage team"


def require_lead(actor, case: Case) -> None:
    """403 (audited) unless the actor may change the case and leads it. Called before any
    transaction, so that the refusal stays on record."""
    require(actor, CHANGE, case)
    require_capability(actor, MANAGE_TEAM)
    if not Case.objects.filter(led_q(actor), pk=case.pk).exists():
        record_denied(actor, Case, {"pk": case.pk}, MANAGE)
        raise PolicyDenied(MANAGE)


def locked(case: Case, version=None) -> Case:
    """The case row again, locked until the end of the transaction: team, owner and handling
    code change one at a time per case. It moves to its next version (its ETag changes), since
    what the case shows its readers is about to change; a write built from another `version`
    than the one now stored (API: If-Match; pages: the form's hidden version) raises
    StaleVersion and writes nothing."""
    assert transaction.get_connection().in_atomic_block
    case = Case.objects.select_for_update().get(pk=case.pk)
    claim(case, version)
    return case


def check_version(case: Case, version) -> None:
    """Refuse early (StaleVersion) a write built from an older read of the case, before its
    validation answers about a team or code the writer has not seen; `locked` still decides."""
    check(case, version)

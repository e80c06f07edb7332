"""Investigations' reads, for the API and the pages: each starts from a case (or change) the
policy lets the reader see. Team lists name accounts, never persons of the register, so they
are not identity reads."""

from crossroads.access.policy import CHANGE, VIEW, get_visible_or_404
from crossroads.registry.models import Case

from .choices import HandlingChangeStatus
from .models import HandlingCodeChange, OwnershipTransfer, TeamChange
from .services.handling import may_decide


def visible_case(user, case_id: int) -> Case:
    """The case if the user may see it (404 otherwise); services ask for CHANGE themselves."""
    return get_visible_or_404(Case.objects.all(), user, pk=case_id)


def team(user, case_id: int):
    case = visible_case(user, case_id)
    return case.memberships.select_related("user").order_by("id")


def team_history(user, case_id: int):
    case = visible_case(user, case_id)
    return (TeamChange.objects.restrict(user, VIEW).filter(case=case)
            .select_related("member", "changed_by"))


def handling_changes(user, case_id: int):
    case = visible_case(user, case_id)
    return (HandlingCodeChange.objects.restrict(user, VIEW).filter(case=case)
            .select_related("requested_by", "decided_by"))


def lowerings_to_decide(user) -> list[HandlingCodeChange]:
    """Pending lowerings this user may decide (another person of the owner agency)."""
    pending = (HandlingCodeChange.objects.restrict(user, VIEW)
               .filter(status=HandlingChangeStatus.PENDING,
                       case__in=Case.objects.restrict(user, CHANGE).values("pk"))
               .select_related("case", "requested_by", "decided_by"))
    return [change for change in pending if may_decide(user, change)]


def ownership_transfers(user, case_id: int):
    case = visible_case(user, case_id)
    return (OwnershipTransfer.objects.restrict(user, VIEW).filter(case=case)
            .select_related("from_agency", "to_agency", "new_lead", "transferred_by"))

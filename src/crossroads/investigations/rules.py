"""Access rules of investigations: a case's team history, handling-code changes and
transfers are seen as the case is; the team is managed by the case's lead (of the owner
agency); a lowering of the handling code is decided by a second person of the owner agency."""

from django.db.models import Q

from crossroads.access.actions import VIEW
from crossroads.access.rulebook import capability, rule
from crossroads.registry.choices import TeamRole
from crossroads.registry.models import CaseTeamMember
from crossroads.registry.rules import case_q

from .choices import CASE_EDITOR_ROLES

MANAGE_TEAM = capability("manage_case_team", CASE_EDITOR_ROLES,
                         "case workers, investigators, prosecutors: the team, handling code and "
                         "owner of a case they lead")
DECIDE_HANDLING = capability("decide_handling_code", CASE_EDITOR_ROLES,
                             "case workers, investigators, prosecutors of the owner agency: a "
                             "second person's decision on lowering a case's handling code")


def led_q(user) -> Q:
    """Cases whose team the user manages: those they lead, and those of their agency that
    have no lead (registered before teams had one)."""
    leads = CaseTeamMember.objects.filter(team_role=TeamRole.LEAD)
    return Q(owner_agency_id=user.agency_id) & (
        Q(pk__in=leads.filter(user_id=user.pk).values("case_id"))
        | ~Q(pk__in=leads.values("case_id")))


def _as_the_case(user, action):
    return case_q(user, VIEW, "case__")


for _label in ("investigations.teamchange", "investigations.handlingcodechange",
               "investigations.ownershiptransfer"):
    rule(_label, view="as the case (changes only through the services)")(_as_the_case)

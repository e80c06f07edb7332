"""Access rules of investigations: a case's team history, handling-code changes and
transfers are seen as the case is; the team is managed by the case's lead (of the owner
agency); a lowering of the handling code is decided by a second person of the owner agency."""

from django.db.models import Q

from crossroads.access.actions import CHANGE, NOTHING, VIEW
from crossroads.access.rulebook import capability, rule
from crossroads.registry.choices import TeamRole
from crossroads.registry.models import CaseTeamMember
from crossroads.registry.rules import case_q, role_case_q

from .choices import CASE_EDITOR_ROLES, LOG_ROLES, LOG_WRITERS

MANAGE_TEAM = capability("manage_case_team", CASE_EDITOR_ROLES,
                         "case workers, investigators, prosecutors: the team, handling code and "
                         "owner of a case they lead")
DECIDE_HANDLING = capability("decide_handling_code", CASE_EDITOR_ROLES,
                             "case workers, investigators, prosecutors of the owner agency: a "
                             "second person's decision on lowering a case's handling code")
WRITE_LOG = capability("write_case_log", LOG_WRITERS,
                       "investigators, prosecutors: entries and evidence in the log of the cases "
                       "they change")


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


def _log_q(user, action, prefix: str) -> Q:
    """The case log's entries the user may read (or write): law enforcement of the cases they
    see (change) by role. Case workers, coordinators and break-glass grants never reach it."""
    roles = LOG_WRITERS if action == CHANGE else LOG_ROLES
    if user.role not in roles:
        return NOTHING
    return role_case_q(user, action, prefix)


@rule("investigations.caseevent",
      view="investigators, prosecutors, focal points: the log of the cases they see by role "
           "(H3: their team only); never case workers, coordinators or break-glass",
      change="investigators, prosecutors: the log of the cases they change by role")
def event_rule(user, action):
    return _log_q(user, action, "case__")


@rule("investigations.evidencefile", view="as the log entry", change="as the log entry")
def evidence_rule(user, action):
    return _log_q(user, action, "event__case__")

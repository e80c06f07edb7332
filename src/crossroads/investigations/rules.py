"""Access rules of investigations: a case's team history, handling-code changes and
transfers are seen as the case is; the team is managed by the case's lead (of the owner
agency); a lowering of the handling code is decided by a second person of the owner agency."""

from django.db.models import Q

from crossroads.access.actions import CHANGE, COUNT, NOTHING, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule
from crossroads.registry.choices import RESTRICTED_HANDLING, TeamRole
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


def log_q(user, action, prefix: str) -> Q:
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
    return log_q(user, action, "case__")


@rule("investigations.evidencefile", view="as the log entry", change="as the log entry")
def evidence_rule(user, action):
    return log_q(user, action, "event__case__")


MAINTAIN_OFFENCES = capability("maintain_offences", {Role.COORDINATOR},
                               "coordinators: the offence catalogue of their jurisdiction")


@rule("investigations.offence",
      view="everyone active of the jurisdiction: its offence catalogue",
      change="coordinators: the catalogue of their jurisdiction")
def offence_rule(user, action):
    if action == CHANGE and user.role != Role.COORDINATOR:
        return NOTHING
    return Q(jurisdiction_id=user.jurisdiction_id)


def _proceedings_q(user, action, prefix: str) -> Q:
    if action == COUNT:
        # The criminal-justice statistics: coordinators count every proceeding of their
        # jurisdiction outside restricted (H3) cases, never list them.
        if user.role != Role.COORDINATOR:
            return NOTHING
        return Q(**{f"{prefix}jurisdiction_id": user.jurisdiction_id}) & ~Q(
            **{f"{prefix}handling_code__in": RESTRICTED_HANDLING})
    return log_q(user, action, prefix)


@rule("investigations.proceeding",
      view="as the case log: investigators, prosecutors, focal points of the case (never case "
           "workers)", change="investigators, prosecutors who change the case",
      count="coordinators: the proceedings of their jurisdiction outside H3 cases")
def proceeding_rule(user, action):
    return _proceedings_q(user, action, "case__")


@rule("investigations.stagechange", view="as the proceeding", change="as the proceeding")
def stage_rule(user, action):
    return _proceedings_q(user, action, "proceeding__case__")


@rule("investigations.crimegroup",
      view="investigators, prosecutors, focal points of the jurisdiction",
      change="investigators, prosecutors of the jurisdiction")
def crime_group_rule(user, action):
    roles = LOG_WRITERS if action == CHANGE else LOG_ROLES
    return Q(jurisdiction_id=user.jurisdiction_id) if user.role in roles else NOTHING


@rule("investigations.suspectmarker", view="as the case log", change="as the case log",
      count="as the proceedings")
def marker_rule(user, action):
    return _proceedings_q(user, action, "involvement__case__")

"""Access rules of reports from the public: the triage team (investigators, case workers and
focal points of the jurisdiction's police and NGOs) sees and works the jurisdiction's reports;
a hotline operator enters calls, a field worker (case worker or investigator) what they saw in
the field, and each sees the reports they entered. Nobody learns who reported from the public:
there is nothing stored to learn."""

from datetime import timedelta

from django.db.models import Q

from crossroads.access.actions import CHANGE, COUNT, NOTHING
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind

from .choices import FIELD_REPORTERS, TAKING_AGENCIES, TRIAGE_ROLES

ENTER_CALL = capability("enter_hotline_call", {Role.HOTLINE_OPERATOR},
                        "hotline operators: enter a call as a report of their jurisdiction")
FILE_FIELD_REPORT = capability("file_field_report", FIELD_REPORTERS,
                               "case workers and investigators: a report from the field into "
                               "the triage queue of their jurisdiction")
TRIAGE = capability("triage_reports", TRIAGE_ROLES,
                    "investigators, case workers, focal points of a police force or NGO: the "
                    "triage queue of their jurisdiction")


def takes_reports(user) -> bool:
    agency = getattr(user, "agency", None)
    return user.role in TRIAGE_ROLES and agency is not None and agency.kind in TAKING_AGENCIES


def report_q(user, action, prefix: str = "") -> Q:
    if action == COUNT:
        # The campaign reports (crossroads.campaigns) count the jurisdiction's reports by
        # municipality and month for its coordinators: counted and suppressed, never listed.
        if user.role == Role.COORDINATOR:
            return Q(**{f"{prefix}jurisdiction_id": user.jurisdiction_id})
        return NOTHING
    if takes_reports(user):
        return Q(**{f"{prefix}jurisdiction_id": user.jurisdiction_id})
    if user.role in {Role.HOTLINE_OPERATOR, *FIELD_REPORTERS} and action != CHANGE:
        return Q(**{f"{prefix}jurisdiction_id": user.jurisdiction_id,
                    f"{prefix}entered_by_id": user.pk})
    return NOTHING


@rule("tips.report",
      view="investigators, case workers, focal points of the jurisdiction's police and NGOs; "
           "hotline operators and field workers: the reports they entered",
      change="investigators, case workers, focal points of the jurisdiction's police and NGOs",
      count="national coordinators of the jurisdiction (by municipality and month, suppressed, "
            "never listed)")
def report_rule(user, action):
    return report_q(user, action)


@rule("tips.message", view="as the report", change="as the report")
def message_rule(user, action):
    return report_q(user, action, "report__")


kind("tips_reminder", noun="reminder of urgent reports", keep=timedelta(days=1))

"""Access rule of the audit trail: oversight of the jurisdiction reads it, nobody changes it."""

from django.db.models import Q

from crossroads.access.actions import NOTHING, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule

VIEW_AUDIT = capability("view_audit", {Role.OVERSIGHT}, "oversight: the audit trail")


@rule("audit.auditentry", view="oversight: the entries of their jurisdiction")
def audit_rule(user, action):
    if user.role == Role.OVERSIGHT and action == VIEW:
        return Q(jurisdiction=user.jurisdiction_id)
    return NOTHING

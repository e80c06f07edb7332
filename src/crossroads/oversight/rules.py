"""Access rules of oversight: the oversight role of a jurisdiction sees and triages that
jurisdiction's alerts, except the ones about themselves (an investigated user is never told,
even when they hold the role)."""

import datetime

from django.db.models import Q

from crossroads.access.actions import CHANGE, NOTHING, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind

OVERSEE = capability("oversee", {Role.OVERSIGHT},
                     "oversight: access alerts, who-saw-whom reports, searches by name")

kind("oversight_scan", noun="oversight scan", watchers=OVERSEE, keep=datetime.timedelta(days=1))


@rule("oversight.alert", view="oversight: the alerts of their jurisdiction, none about themselves",
      change="oversight: the alerts of their jurisdiction, none about themselves")
def alert_rule(user, action):
    if user.role == Role.OVERSIGHT and action in {VIEW, CHANGE}:
        return Q(jurisdiction=user.jurisdiction_id) & ~Q(actor_id=user.pk)
    return NOTHING


@rule("oversight.alertnote", view="oversight: the notes of the alerts they see")
def note_rule(user, action):
    if user.role == Role.OVERSIGHT and action == VIEW:
        return Q(alert__jurisdiction=user.jurisdiction_id) & ~Q(alert__actor_id=user.pk)
    return NOTHING

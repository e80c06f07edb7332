"""Access rules of oversight: the oversight role of a jurisdiction sees and triages that
jurisdiction's alerts and runs its inquiries, except the ones about themselves (an investigated
user is never told, even when they hold the role). Agencies never see an inquiry: their answer
to a recommendation comes by letter and oversight enters it."""

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


def _inquiries_of(user, prefix: str = "") -> Q:
    """The inquiries of the oversight account's jurisdiction, none about themselves (neither as
    the account concerned nor through an alert about them)."""
    return (Q(**{f"{prefix}jurisdiction": user.jurisdiction_id})
            & ~Q(**{f"{prefix}account_id": user.pk})
            & ~Q(**{f"{prefix}alerts__actor_id": user.pk}))


@rule("oversight.inquiry",
      view="oversight: the inquiries of their jurisdiction, none about themselves",
      change="oversight: the inquiries of their jurisdiction, none about themselves")
def inquiry_rule(user, action):
    if user.role == Role.OVERSIGHT and action in {VIEW, CHANGE}:
        return _inquiries_of(user)
    return NOTHING


@rule("oversight.recommendation",
      view="oversight: the recommendations of the inquiries they see",
      change="oversight: the recommendations of the inquiries they see (answers included: "
             "agencies answer by letter)")
def recommendation_rule(user, action):
    if user.role == Role.OVERSIGHT and action in {VIEW, CHANGE}:
        return _inquiries_of(user, "inquiry__")
    return NOTHING

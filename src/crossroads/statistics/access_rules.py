"""Policy rules for releases and the privacy ledger (imported by `policy`).

Coordinators of a jurisdiction see and act on its releases and its privacy budget; analysts
see approved releases only (of their jurisdiction, or node-wide ones made by the operator) and
the ledger, which tells them the ε of each release. Nobody else sees either. The dashboards'
summary is counted (never listed) by those who may view statistics."""

from django.db.models import Q

from crossroads.access.roles import Role

RELEASE_PREPARERS = {Role.COORDINATOR}
RELEASE_READERS = {Role.ANALYST}
STATISTICS_READERS = {Role.COORDINATOR}
_NOTHING = Q(pk__in=[])


def release_rule(user, action):
    mine = Q(jurisdiction_id=user.jurisdiction_id)
    if user.role in RELEASE_PREPARERS:
        return mine | Q(jurisdiction__isnull=True) if action == "view" else mine
    if user.role in RELEASE_READERS and action == "view":
        return Q(status="approved") & (mine | Q(jurisdiction__isnull=True))
    return _NOTHING


def budget_rule(user, action):
    if user.role in RELEASE_PREPARERS | RELEASE_READERS and action == "view":
        return Q(jurisdiction_id=user.jurisdiction_id)
    return _NOTHING


def budget_change_rule(user, action):
    """Coordinators see and decide the budget changes of their jurisdiction."""
    if user.role in RELEASE_PREPARERS:
        return Q(budget__jurisdiction_id=user.jurisdiction_id)
    return _NOTHING


def ledger_entry_rule(user, action):
    if user.role in RELEASE_PREPARERS | RELEASE_READERS and action == "view":
        return Q(budget__jurisdiction_id=user.jurisdiction_id)
    return _NOTHING


def summary_rule(user, action):
    """The dashboards' summary holds unsuppressed counts of every jurisdiction's unrestricted
    cases: the same scope as the COUNT rule of exploitation records, counted only."""
    if action == "count" and user.role in STATISTICS_READERS:
        return Q()
    return _NOTHING

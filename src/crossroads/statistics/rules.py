"""Access rules of releases, the privacy ledger and the dashboards' summary.

Coordinators of a jurisdiction see and act on its releases and its privacy budget; analysts
see approved releases only (of their jurisdiction, or node-wide ones made by the operator) and
the ledger, which tells them the ε of each release. Nobody else sees either. The dashboards'
summary is counted (never listed) by those who may view statistics."""

from datetime import timedelta

from django.db.models import Q

from crossroads.access.actions import COUNT, NOTHING, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind
from crossroads.registry.rules import unrestricted_cases_jurisdiction

RELEASE_PREPARERS = frozenset({Role.COORDINATOR})
RELEASE_READERS = frozenset({Role.ANALYST})
STATISTICS_READERS = frozenset({Role.COORDINATOR})



def entitled_to_counts(user) -> bool:
    """Whether the user may see every case behind their dashboards' counts (a coordinator
    whose view is exactly the unrestricted cases of their jurisdiction): their internal
    dashboards then show the counts whole. Anyone else, and every publication (releases, the
    regional risk indicators), gets small-cell suppression."""
    return unrestricted_cases_jurisdiction(user) is not None


VIEW_STATISTICS = capability("view_statistics", STATISTICS_READERS,
                             "coordinators: live dashboards (aggregates)")
# Releases (statistics/release_workflow.py): coordinators prepare them and a second
# coordinator approves each; analysts see the approved ones only.
PREPARE_RELEASE = capability("prepare_release", RELEASE_PREPARERS, "coordinators: queue releases")
APPROVE_RELEASE = capability("approve_release", RELEASE_PREPARERS,
                             "coordinators: approve another coordinator's release")
VIEW_RELEASES = capability("view_releases", RELEASE_PREPARERS | RELEASE_READERS,
                           "coordinators, analysts: the release catalogue")
# Background jobs (statistics/tasks.py): a release's is watched by the coordinators of its
# jurisdiction; the summary's recounts are periodic work nobody watches (kept a day).
kind("release", noun="release", watchers=PREPARE_RELEASE)
kind("summary", noun="dashboard summary", keep=timedelta(days=1))
kind("ctdc_import", noun="CTDC import", watchers=PREPARE_RELEASE)


@rule("statistics.ctdcimport", view="coordinators: the imports of their jurisdiction")
def ctdc_import_rule(user, action):
    if user.role in RELEASE_PREPARERS and action == VIEW:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING


@rule("statistics.release",
      view="coordinators: releases of their jurisdiction and node-wide ones; analysts: the "
           "approved ones among those",
      change="coordinators: releases of their jurisdiction")
def release_rule(user, action):
    mine = Q(jurisdiction_id=user.jurisdiction_id)
    if user.role in RELEASE_PREPARERS:
        return mine | Q(jurisdiction__isnull=True) if action == VIEW else mine
    if user.role in RELEASE_READERS and action == VIEW:
        return Q(status="approved") & (mine | Q(jurisdiction__isnull=True))
    return NOTHING


@rule("statistics.privacybudget", view="coordinators, analysts of the jurisdiction")
def budget_rule(user, action):
    if user.role in RELEASE_PREPARERS | RELEASE_READERS and action == VIEW:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING


@rule("statistics.budgetchange", view="coordinators of the jurisdiction",
      change="coordinators of the jurisdiction (never their own request: four-eyes)")
def budget_change_rule(user, action):
    """Coordinators see and decide the budget changes of their jurisdiction."""
    if user.role in RELEASE_PREPARERS:
        return Q(budget__jurisdiction_id=user.jurisdiction_id)
    return NOTHING


@rule("statistics.privacyledgerentry", view="coordinators, analysts of the jurisdiction")
def ledger_entry_rule(user, action):
    if user.role in RELEASE_PREPARERS | RELEASE_READERS and action == VIEW:
        return Q(budget__jurisdiction_id=user.jurisdiction_id)
    return NOTHING


@rule("statistics.summarycount",
      count="coordinators: counted only, through the same suppression as the dashboards")
def summary_rule(user, action):
    """The dashboards' summary holds unsuppressed counts of every jurisdiction's unrestricted
    cases: the same scope as the COUNT rule of exploitation records, counted only."""
    if action == COUNT and user.role in STATISTICS_READERS:
        return Q()
    return NOTHING

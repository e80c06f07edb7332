"""Access rule of the hub's released aggregates: every jurisdiction's, to analysts, read only."""

from django.db.models import Q

from crossroads.access.actions import NOTHING, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule

VIEW_REGIONAL = capability("view_regional_statistics", {Role.ANALYST},
                           "analysts: the hub's regional dashboard of released aggregates")


@rule("regional.regionalrelease", view="analysts: every jurisdiction's released tables")
def regional_release_rule(user, action):
    return Q() if action == VIEW and user.role == Role.ANALYST else NOTHING


@rule("regional.regionalscorecard", view="analysts: every jurisdiction's published scorecards")
def regional_scorecard_rule(user, action):
    return regional_release_rule(user, action)

"""Access rules of the campaign register: the national coordinators of a jurisdiction keep
its register and read each campaign's report (counts under disclosure control); nobody else
sees or changes either. The report counts reports from the public and identified victims that
the coordinators may only count (the COUNT rules of tips.report and
registry.exploitationrecord), never list."""

from django.db.models import Q

from crossroads.access.actions import CHANGE, NOTHING, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule

CAMPAIGN_KEEPERS = frozenset({Role.COORDINATOR})

KEEP_CAMPAIGNS = capability("keep_campaigns", CAMPAIGN_KEEPERS,
                            "national coordinators: the campaign register of their jurisdiction "
                            "and each campaign's report")


@rule("campaigns.campaign", view="national coordinators of the jurisdiction",
      change="national coordinators of the jurisdiction")
def campaign_rule(user, action):
    if user.role in CAMPAIGN_KEEPERS and action in (VIEW, CHANGE):
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING

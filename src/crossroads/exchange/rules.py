"""Access rules of cross-border hits and formal requests: the jurisdiction's focal points, who
change them only through the exchange services."""

import datetime

from django.db.models import Q

from crossroads.access.actions import NOTHING
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind

# The hub's check for nodes whose audit heads stopped arriving (tasks.py); no user watches it.
kind("witness_silence", noun="witness silence check", keep=datetime.timedelta(days=1))

EXCHANGE = capability("exchange", {Role.FOCAL_POINT},
                      "focal points: see hits, send and answer cross-border requests")


def _focal_points(*jurisdiction_fields: str):
    def exchange_rule(user, action):
        if user.role == Role.FOCAL_POINT:
            return Q(*(Q(**{field: user.jurisdiction_id}) for field in jurisdiction_fields),
                     _connector=Q.OR)
        return NOTHING

    return exchange_rule


_WHO = {"view": "focal points of the jurisdiction",
        "change": "focal points of the jurisdiction, through the exchange services"}
# A hit is of a shared person or of a shared selector: the jurisdiction of whichever it is.
rule("exchange.hit", **_WHO)(_focal_points("reference__jurisdiction_id", "selector__jurisdiction_id"))
rule("exchange.exchangerequest", **_WHO)(_focal_points("jurisdiction_id"))


@rule("exchange.sharedreference")
def shared_reference_rule(user, action):
    """Nobody: the random references sent to the hub are read by the exchange services alone,
    acting as the node, never listed to a user."""
    return NOTHING


@rule("exchange.sharedselector")
def shared_selector_rule(user, action):
    """Nobody, as the shared references."""
    return NOTHING

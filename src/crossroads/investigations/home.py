"""What the home page shows of investigations: lowerings of a handling code waiting for the
user's decision (the second person of the owner agency)."""

from crossroads.access.policy import may

from . import queries
from .rules import DECIDE_HANDLING


def context(user) -> dict:
    if not may(user, DECIDE_HANDLING):
        return {}
    return {"lowerings_to_decide": queries.lowerings_to_decide(user)[:50]}

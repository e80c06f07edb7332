"""What the home page shows oversight: the access alerts still open (never anyone else)."""

from crossroads.access.policy import may

from .queries import alerts
from .rules import OVERSEE


def context(user) -> dict:
    if not may(user, OVERSEE):
        return {}
    return {"open_alerts": alerts(user).still_open().count()}

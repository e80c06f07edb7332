"""What the home page shows oversight: the access alerts still open, the inquiries running and
the recommendations overdue (never anyone else)."""

from crossroads.access.policy import may

from .queries import alerts, inquiries, overdue_recommendations
from .rules import OVERSEE


def context(user) -> dict:
    if not may(user, OVERSEE):
        return {}
    return {"open_alerts": alerts(user).still_open().count(),
            "open_inquiries": inquiries(user).still_open().count(),
            "overdue_recommendations": overdue_recommendations(user).count()}

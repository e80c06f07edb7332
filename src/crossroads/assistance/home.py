"""What the home page shows of the referral mechanism: due and overdue protection timers of
the cases the user works, and referrals waiting for the agency's answer."""

from crossroads.access.policy import may

from . import queries
from .choices import ReferralStatus


def context(user) -> dict:
    if not may(user, "assist_victims"):
        return {}
    pending = queries.referrals_for(user, "received", ReferralStatus.PENDING).count()
    return {"protection_items": list(queries.open_timers(user)[:50]),
            "pending_referrals": pending}

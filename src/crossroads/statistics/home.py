"""What the home page shows of statistics: the releases waiting for the user's decision (the
second coordinator of the four-eyes rule)."""

from crossroads.access.policy import may

from .choices import ReleaseStatus
from .release_workflow import may_decide, visible_releases


def context(user) -> dict:
    if not may(user, "approve_release"):
        return {}
    prepared = visible_releases(user).filter(status=ReleaseStatus.PREPARED).order_by("id")
    return {"releases_to_decide": [r for r in prepared if may_decide(user, r)]}

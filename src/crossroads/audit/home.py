"""What the home page shows oversight: the refusals and break-glass use of the last week in
their jurisdiction, each a link to the entries in the audit log."""

import datetime

from django.utils import timezone

from crossroads.access.policy import may

from .choices import Action
from .queries import filter_entries

WEEK = datetime.timedelta(days=7)


def context(user) -> dict:
    if not may(user, "view_audit"):
        return {}
    since = timezone.localdate() - WEEK
    week = {"date_from": since}
    return {"oversight": {
        "since": since,
        "denied": filter_entries(user, {**week, "action": Action.DENIED}).count(),
        "failed_logins": filter_entries(user, {**week, "action": Action.LOGIN_FAILED}).count(),
        "break_glass": filter_entries(user, {**week, "break_glass": True}).count(),
        "exports": filter_entries(user, {**week, "action": Action.EXPORT}).count(),
    }}

"""What the home page shows of reports from the public: a hotline operator's latest calls,
with how far triage has come (the state only, as on "My calls")."""

from crossroads.access.policy import may

from .queries import my_calls

HOME_CALLS = 5


def context(user) -> dict:
    if not may(user, "enter_hotline_call"):
        return {}
    return {"enters_calls": True, "my_latest_calls": list(my_calls(user)[:HOME_CALLS])}

"""Writes of the access context: accounts and agencies (under four-eyes), one's own password and
API tokens, passwords set through activation links. Policy-checked, validated and audited; the
pages, the API and the CLI call these with plain values, never forms.

The four-eyes decisions themselves are `access.approvals`' (approve, reject, cancel)."""

from django.db import transaction

from crossroads.audit.choices import Action
from crossroads.audit.services import record, record_denied

from . import activation
from .approvals import AccountChange, propose_account, propose_agency
from .models import Agency, User
from .policy import PolicyDenied
from .tokens import issue_token, revoke_all, revoke_token, session_verified

__all__ = ["AccountChange", "change_own_password", "issue_token", "revoke_token", "save_account",
           "save_agency", "set_password_from_link"]


def save_account(actor, data: dict, account_id: int | None = None,
                 version: int | None = None) -> AccountChange:
    """Create (no `account_id`) or update an account from validated values (`ACCOUNT_FIELDS`
    of access/approvals.py, the agency as an Agency, `reset_password`), under four-eyes.

    What gives or widens access becomes a pending approval request (see access/approvals.py);
    deactivation and name corrections apply at once. A change built from another `version`
    than the stored one raises StaleVersion and writes nothing."""
    account = User.objects.get(pk=account_id) if account_id else None
    return propose_account(actor, data, account, version)


def save_agency(actor, data: dict, agency_id: int | None = None,
                version: int | None = None) -> AccountChange:
    """Create or update an agency from validated values (name, kind, active), under four-eyes:
    a change of kind and reactivation wait for a second administrator (see access/approvals.py).
    A change built from another `version` than the stored one raises StaleVersion."""
    agency = Agency.objects.get(pk=agency_id) if agency_id else None
    return propose_agency(actor, data, agency, version)


def change_own_password(user, new_password: str) -> User:
    """Set the user's new password (the page has checked the current one and the password
    validators) from a session verified by the second factor; every API token of the account
    is revoked (the account's other sessions end with the old password's session hash)."""
    if not session_verified(user):
        record_denied(user, User, {"pk": user.pk}, "change password")
        raise PolicyDenied("change password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(user, Action.UPDATE, user, details={"password": "changed"})
        revoke_all(user, [user], "password changed")
    return user


def set_password_from_link(link_id, new_password: str) -> User | None:
    """Set the password of an activation or reset link's account (validated by the page) and
    spend the link; None if the link was used or ended meanwhile."""
    return activation.complete(link_id, new_password)

"""Account and agency administration: policy-checked, validated and audited."""

from django.db import transaction

from crossroads.access.policy import CHANGE, VIEW, PolicyDenied, require_capability
from crossroads.audit.models import Action
from crossroads.audit.services import record, record_denied

from .approvals import AccountChange, propose_account, propose_agency
from .models import Agency, User
from .tokens import revoke_all, session_verified


def manageable_agencies(actor):
    return Agency.objects.restrict(actor, CHANGE)


def save_account(actor, form) -> AccountChange:
    """Create or update an account from a validated AccountForm, under four-eyes.

    What gives or widens access becomes a pending approval request (see access/approvals.py);
    deactivation and name corrections apply at once. The form's instance is not saved."""
    account = form.instance if form.instance.pk else None
    if account is not None:
        # The ModelForm has already copied the new values onto its instance: start afresh.
        account = User.objects.get(pk=account.pk)
    return propose_account(actor, form.cleaned_data, account)


def save_agency(actor, form) -> AccountChange:
    """Create or update an agency from a validated AgencyForm, under four-eyes: a change of
    kind and reactivation wait for a second administrator (see access/approvals.py)."""
    agency = Agency.objects.get(pk=form.instance.pk) if form.instance.pk else None
    return propose_agency(actor, form.cleaned_data, agency)


def change_own_password(user, form) -> User:
    """Save a valid PasswordChangeForm (it has checked the current password) for the user of a
    session verified by the second factor; every API token of the account is revoked (the
    account's other sessions end with the old password's session hash)."""
    if not session_verified(user) or form.user.pk != user.pk:
        record_denied(user, User, {"pk": user.pk}, "change password")
        raise PolicyDenied("change password")
    with transaction.atomic():
        account = form.save()
        record(user, Action.UPDATE, account, details={"password": "changed"})
        revoke_all(user, [account], "password changed")
    return account


def accounts(actor):
    require_capability(actor, "manage_accounts")
    return User.objects.restrict(actor, VIEW).select_related("agency").order_by("username")

"""Account and agency administration: policy-checked, validated and audited."""

from django.db import transaction

from crossroads.access.policy import CHANGE, VIEW, require, require_capability
from crossroads.audit.models import Action
from crossroads.audit.services import record

from .approvals import AccountChange, propose_account
from .models import Agency, User


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


def save_agency(actor, form) -> Agency:
    require_capability(actor, "manage_accounts")
    agency = form.instance
    if agency.pk:
        require(actor, CHANGE, agency)
    agency.jurisdiction_id = actor.jurisdiction_id
    created = agency.pk is None
    with transaction.atomic():
        agency = form.save()
        record(actor, Action.CREATE if created else Action.UPDATE, agency,
               details={"fields": sorted(form.changed_data)})
    return agency


def accounts(actor):
    require_capability(actor, "manage_accounts")
    return User.objects.restrict(actor, VIEW).select_related("agency").order_by("username")

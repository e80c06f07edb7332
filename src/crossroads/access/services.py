"""Account and agency administration: policy-checked, validated and audited."""

from django.db import transaction

from crossroads.access.policy import CHANGE, VIEW, require, require_capability
from crossroads.audit.models import Action
from crossroads.audit.services import record

from .models import Agency, User


def manageable_agencies(actor):
    return Agency.objects.restrict(actor, CHANGE)


def save_account(actor, form) -> User:
    """Create or update an account from a validated AccountForm."""
    require_capability(actor, "manage_accounts")
    user = form.instance
    if user.pk:
        require(actor, CHANGE, user)
    created = user.pk is None
    with transaction.atomic():
        user = form.save(commit=False)
        if form.cleaned_data.get("password"):
            user.set_password(form.cleaned_data["password"])
        user.save()
        record(actor, Action.CREATE if created else Action.UPDATE, user,
               details={"fields": sorted(form.changed_data)})
    return user


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

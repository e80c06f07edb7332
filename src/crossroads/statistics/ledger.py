"""The privacy ledger: one ε budget per dataset (a jurisdiction's exploitation records), one
entry per differentially private release that spent from it.

Sequential composition: the ε of releases on the same records add up, so a dataset's
remaining budget is its total minus the sum of its entries. A release is charged under a lock
on its budget rows (`select_for_update` on PostgreSQL; SQLite's IMMEDIATE transactions take
the write lock first), so two releases at once cannot both pass a check that only one fits.
A release drawn from several jurisdictions' records (the CLI without `--jurisdiction`) is
charged to each of them: an ε-DP answer over the union is ε-DP for every person in it.

Budgets: `CROSSROADS_PRIVACY_BUDGET` gives the total of a new budget, either one number for
every dataset or a list such as `4,AL=6,RS=3` (a bare number is the default; a dataset
without one gets 0, so no DP release). A coordinator changes a dataset's total afterwards
(`crossroads privacy_budget --user`, or the releases page): lowering it applies at once, raising
it waits for a second coordinator's approval on the releases page (`release_workflow`).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from .models import PrivacyBudget, PrivacyLedgerEntry, Release, ReleaseStatus

PLACES = Decimal("0.000001")
MAX_TOTAL = Decimal(1000)


def as_epsilon(value) -> Decimal:
    """ε as stored: six decimals, rounded up (the ledger never records less than was spent)."""
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_CEILING)


def configured_total(jurisdiction_id: str) -> Decimal:
    spec = str(settings.CROSSROADS_PRIVACY_BUDGET)
    default, per_dataset = None, {}
    try:
        for item in filter(None, (part.strip() for part in spec.split(","))):
            code, sep, value = item.rpartition("=")
            if sep:
                per_dataset[code.strip().upper()] = as_epsilon(value)
            else:
                default = as_epsilon(value)
    except InvalidOperation:
        raise ImproperlyConfigured(f"CROSSROADS_PRIVACY_BUDGET is not understood: {spec!r}") from None
    total = per_dataset.get(jurisdiction_id, default if default is not None else Decimal(0))
    if total < 0:
        raise ImproperlyConfigured("CROSSROADS_PRIVACY_BUDGET cannot be negative")
    return total


def budget_of(jurisdiction_id: str) -> PrivacyBudget:
    """The dataset's budget, created with the configured total on first use."""
    found = PrivacyBudget.objects.filter(jurisdiction_id=jurisdiction_id).first()
    if found:
        return found
    try:
        with transaction.atomic():
            budget = PrivacyBudget.objects.create(jurisdiction_id=jurisdiction_id,
                                                  total_epsilon=configured_total(jurisdiction_id))
            record(None, Action.CREATE, budget, jurisdiction=jurisdiction_id, purpose="privacy budget",
                   details={"total": str(budget.total_epsilon), "from": "CROSSROADS_PRIVACY_BUDGET"})
            return budget
    except IntegrityError:  # created meanwhile by a concurrent release
        return PrivacyBudget.objects.get(jurisdiction_id=jurisdiction_id)


def spent(budget: PrivacyBudget) -> Decimal:
    return as_epsilon(budget.entries.aggregate(s=Sum("epsilon"))["s"] or 0)


def reserved(jurisdiction_id: str, exclude: Release | None = None) -> Decimal:
    """ε asked by the DP releases of the dataset that are queued or being prepared."""
    pending = Release.objects.filter(jurisdiction_id=jurisdiction_id, epsilon__isnull=False,
                                     status__in=[ReleaseStatus.QUEUED, ReleaseStatus.RUNNING])
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    return as_epsilon(pending.aggregate(s=Sum("epsilon"))["s"] or 0)


def summary(budget: PrivacyBudget) -> dict:
    used = spent(budget)
    waiting = reserved(budget.jurisdiction_id)
    return {"jurisdiction": budget.jurisdiction_id, "total": budget.total_epsilon, "spent": used,
            "reserved": waiting, "remaining": budget.total_epsilon - used}


def over_budget(jurisdiction_id: str, epsilon: Decimal, remaining: Decimal) -> ValidationError:
    return ValidationError({"epsilon": _(
        "This release needs ε = %(asked)s but the privacy budget of %(dataset)s has only "
        "%(left)s left. Ask for a smaller ε or have the budget reviewed; nothing was released.")
        % {"asked": epsilon, "dataset": jurisdiction_id, "left": max(remaining, Decimal(0))}})


def check_available(jurisdiction_ids, epsilon: Decimal, exclude: Release | None = None) -> None:
    """Refuse early (when queuing) a release that the budget cannot hold with the releases
    already waiting. The binding check is `charge`'s, under the lock."""
    for code in jurisdiction_ids:
        budget = budget_of(code)
        left = budget.total_epsilon - spent(budget) - reserved(code, exclude)
        if epsilon > left:
            raise over_budget(code, epsilon, left)


def charge(release: Release, jurisdiction_ids, epsilon: Decimal, actor, name: str) -> list:
    """Record the release's ε on every dataset it draws on, or raise without recording
    anything. Call inside the transaction that saves the release."""
    budgets = [budget_of(code) for code in sorted(set(jurisdiction_ids))]
    locked = list(PrivacyBudget.objects.select_for_update()
                  .filter(pk__in=[b.pk for b in budgets]).order_by("jurisdiction_id"))
    for budget in locked:
        left = budget.total_epsilon - spent(budget)
        if epsilon > left:
            raise over_budget(budget.jurisdiction_id, epsilon, left)
    entries = [PrivacyLedgerEntry.objects.create(
        budget=budget, release=release, epsilon=epsilon, spent_by=actor, spent_by_name=name)
        for budget in locked]
    for entry in entries:
        record(actor, Action.CREATE, entry, jurisdiction=entry.budget.jurisdiction_id, details={
            "release": release.pk, "epsilon": str(epsilon), "by": name})
    return entries


def valid_total(value) -> Decimal:
    """A total ε as given by a person, or a ValidationError naming `total`."""
    try:
        total = as_epsilon(value)
    except ArithmeticError:
        raise ValidationError({"total": _("Give ε as a number, such as 5.")}) from None
    if not total.is_finite() or total < 0 or total > MAX_TOTAL:
        raise ValidationError({"total": _("Give a total ε from 0 to %(max)s.") % {"max": MAX_TOTAL}})
    return total


def apply_total(jurisdiction_id: str, total, actor, details: dict | None = None) -> PrivacyBudget:
    """Set a dataset's total ε, under the lock, never below what is spent. Only the four-eyes
    workflow calls it (`release_workflow.change_budget` and `decide_budget_change`)."""
    total = valid_total(total)
    with transaction.atomic():
        budget = PrivacyBudget.objects.select_for_update().get(pk=budget_of(jurisdiction_id).pk)
        if total < spent(budget):
            raise ValidationError({"total": _("The total cannot be less than the ε already spent.")})
        previous = budget.total_epsilon
        budget.total_epsilon, budget.updated_at = total, timezone.now()
        budget.save(update_fields=["total_epsilon", "updated_at"])
        record(actor, Action.UPDATE, budget, jurisdiction=jurisdiction_id, purpose="privacy budget",
               details={"total": str(total), "previous": str(previous), **(details or {})})
    return budget

"""Releases made in the node: a coordinator prepares, a second coordinator approves.

`queue_release` validates the request, refuses early what the privacy budget cannot hold
(with the releases already waiting) and queues a `Release` with its background job;
`crossroads tasks work` runs it (`statistics.tasks.release`) with progress, charging its ε
under the ledger lock. The prepared release's
files stay in the node until a coordinator of the jurisdiction other than the one who prepared
it approves it (four-eyes, as account changes are: `access.approvals`); its manifest then names
the approver. Only then may analysts list it and download its files, each download audited as
an export. A rejected release's files are deleted; the ε it spent stays spent, since its
noisy answers were computed.

The command line follows the same path (finding 13 of issue 13): `crossroads release --user`
and `regional publish --user` prepare a release for the named coordinator and leave it
awaiting the page's decision; a release marked for the hub is sent when it is approved.
A dataset's total ε is changed the same way: lowering it applies at once, raising it is a
pending `BudgetChange` that a second coordinator approves on the releases page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.access.four_eyes import FourEyes
from crossroads.access.policy import (
    CHANGE,
    VIEW,
    get_visible_or_404,
    may,
    require,
    require_capability,
    restrict,
)
from crossroads.audit.choices import Action
from crossroads.audit.services import record, record_denied
from crossroads.jobs import services as jobs
from crossroads.jobs.worker import run_now
from crossroads.text import clean_text

from . import ledger, tasks
from .models import (
    BudgetChange,
    BudgetChangeStatus,
    PrivacyBudget,
    PrivacyLedgerEntry,
    Release,
    ReleaseKind,
    ReleaseStatus,
)
from .releases import MANIFEST, ReleaseSpec, validated, write_manifest
from .signals import release_approved


def queue_release(actor, spec: ReleaseSpec, *, publish_to_hub: bool = False,
                  seed: int | None = None) -> Release:
    """Queue a release of the actor's jurisdiction's records (coordinators) as a background job;
    with `publish_to_hub` (tables only) it is sent to the regional hub once approved; `seed`
    makes the noise reproducible (the demo)."""
    require_capability(actor, "prepare_release")
    if spec.jurisdiction and spec.jurisdiction != actor.jurisdiction_id:
        raise ValidationError({"jurisdiction": _(
            "A coordinator releases only the records of their own jurisdiction (%(code)s).")
            % {"code": actor.jurisdiction_id}})
    if publish_to_hub and spec.kind != ReleaseKind.TABLES:
        raise ValidationError({"kind": _("Only tables releases are published to the hub.")})
    spec = validated(ReleaseSpec(**{**spec.__dict__, "jurisdiction": actor.jurisdiction_id}))
    with transaction.atomic():
        if spec.epsilon is not None:
            # Serialise queuing with charging so that the early check sees every reservation.
            budget = ledger.budget_of(actor.jurisdiction_id)
            PrivacyBudget.objects.select_for_update().filter(pk=budget.pk).first()
            ledger.check_available([actor.jurisdiction_id], spec.epsilon)
        release = Release.objects.create(kind=spec.kind, jurisdiction_id=actor.jurisdiction_id,
                                         parameters=spec.as_parameters(), epsilon=spec.epsilon,
                                         k=spec.k, threshold=spec.threshold, created_by=actor,
                                         publish_to_hub=publish_to_hub)
        release.job = jobs.enqueue("release", tasks.release, release.pk, seed, actor=actor,
                                   jurisdiction=actor.jurisdiction_id)
        release.save(update_fields=["job"])
        record(actor, Action.CREATE, release, details={
            "task": "release", "publish_to_hub": publish_to_hub, **spec.as_parameters()})
    return release


def prepare(actor, spec: ReleaseSpec, *, publish_to_hub: bool = False,
            seed: int | None = None) -> Release:
    """Queue a release and make its files in this process (the command line is its own
    worker): it ends prepared and awaiting a second coordinator, refused, or failed."""
    release = queue_release(actor, spec, publish_to_hub=publish_to_hub, seed=seed)
    run_now(release.job)
    release.refresh_from_db()
    return release


# ---------------------------------------------------------------------------- four-eyes


# Releases under the shared four-eyes rules (access/four_eyes.py): a second coordinator of the
# release's jurisdiction, not the one who prepared it; the operator's command line (no
# preparer) is nobody's second person.
RELEASES = FourEyes(Release, capability="approve_release", requester="created_by_id",
                    pending=ReleaseStatus.PREPARED, decider="approved_by",
                    reason="decision_reason",
                    decided_message=gettext_lazy("Only a release awaiting approval can be decided."))


def may_decide(actor, release: Release) -> bool:
    """A second coordinator: of the release's jurisdiction, not the one who prepared it."""
    return RELEASES.may_decide(actor, release)


def _decide_release(actor, release_id, decision: str, effect, before=None) -> Release:
    release = get_visible_or_404(Release.objects.all(), actor, pk=release_id)
    require(actor, CHANGE, release)
    return RELEASES.decide(actor, release, decision, effect, before=before)


def approve(actor, release_id, reason: str = "") -> Release:
    def effect(release):
        now = timezone.now()
        name = actor.get_username()
        RELEASES.close(actor, release, ReleaseStatus.APPROVED, reason, at=now, fields={
            "approved_by_name": name,
            "manifest": {**release.manifest, "approved_by": name, "approved_at": now.isoformat()},
        }, details={"decision": "approved", "prepared_by": release.created_by_id, "epsilon":
                    None if release.epsilon is None else str(release.epsilon)})
        if release.publish_to_hub:
            release_approved.send(sender=Release, release=release, actor=actor)
        write_manifest(release)

    return _decide_release(actor, release_id, "approve", effect)


def reject(actor, release_id, reason: str) -> Release:
    reason = clean_text(reason)

    def require_reason():
        if not reason:
            raise ValidationError({"reason": _("Say why the release is rejected.")})

    release = _decide_release(actor, release_id, "reject", lambda release: RELEASES.close(
        actor, release, ReleaseStatus.REJECTED, reason, details={"decision": "rejected"}),
        before=require_reason)
    if release.folder:
        shutil.rmtree(release.folder, ignore_errors=True)
    return release


# ---------------------------------------------------------------------------- reading


def visible_releases(actor):
    require_capability(actor, "view_releases")
    return restrict(Release.objects.select_related("created_by", "approved_by", "job"), actor, VIEW)


def get_release(actor, release_id) -> Release:
    require_capability(actor, "view_releases")
    return get_visible_or_404(Release.objects.select_related("created_by", "approved_by", "job"), actor,
                      pk=release_id)


def _reviewing(actor, release: Release) -> bool:
    """The coordinators of the jurisdiction read a prepared release's files before it is
    decided on: approving blind would make the four-eyes rule a formality."""
    return (release.status == ReleaseStatus.PREPARED and may(actor, "prepare_release")
            and release.jurisdiction_id == actor.jurisdiction_id)


def release_file(actor, release_id, name: str) -> Path:
    """The path of one file of an approved release, or of a prepared one to the coordinator who
    may decide on it (audited as an export), or 404."""
    release = get_release(actor, release_id)
    known = name == MANIFEST or name in release.files
    path = Path(release.folder) / name if release.folder else None
    readable = release.status == ReleaseStatus.APPROVED or _reviewing(actor, release)
    if not readable or not known or path is None or not path.is_file():
        record_denied(actor, Release, {"pk": release.pk, "file": name}, "download")
        raise Http404
    record(actor, Action.EXPORT, release, jurisdiction=release.jurisdiction_id or "",
           purpose="release download" if release.status == ReleaseStatus.APPROVED
           else "release review before approval",
           details={"file": name, "sha256": release.files.get(name)})
    return path


def ledger_summaries(actor) -> list[dict]:
    """The budget of each dataset the actor may see, with its entries (newest first)."""
    require_capability(actor, "view_releases")
    if actor.jurisdiction_id:
        ledger.budget_of(actor.jurisdiction_id)
    budgets = restrict(PrivacyBudget.objects.all(), actor, VIEW)
    entries = restrict(PrivacyLedgerEntry.objects.select_related("release"), actor, VIEW)
    return [{**ledger.summary(b), "entries": [e for e in entries if e.budget_id == b.pk]}
            for b in budgets]


# ---------------------------------------------------------------------------- the budget


def change_budget(actor, jurisdiction_id: str, total) -> BudgetChange:
    """A coordinator asks for a new total ε of their jurisdiction's dataset. Lower (or equal)
    applies at once; higher waits, as a pending change, for a second coordinator."""
    require_capability(actor, "prepare_release")
    if jurisdiction_id != actor.jurisdiction_id:
        raise ValidationError({"jurisdiction": _(
            "A coordinator changes only the budget of their own jurisdiction (%(code)s).")
            % {"code": actor.jurisdiction_id}})
    total = ledger.valid_total(total)
    with transaction.atomic():
        budget = PrivacyBudget.objects.select_for_update().get(pk=ledger.budget_of(jurisdiction_id).pk)
        if total < ledger.spent(budget):
            raise ValidationError({"total": _("The total cannot be less than the ε already spent.")})
        if BudgetChange.objects.filter(budget=budget, status=BudgetChangeStatus.PENDING).exists():
            raise ValidationError({"total": _(
                "A change of this budget already awaits approval; have it decided first.")})
        change = BudgetChange.objects.create(budget=budget, previous_total=budget.total_epsilon,
                                             new_total=total, requested_by=actor)
        record(actor, Action.CREATE, change, jurisdiction=jurisdiction_id, purpose="privacy budget",
               details={"total": str(total), "previous": str(budget.total_epsilon)})
        if total <= budget.total_epsilon:  # only protects more: no second person needed
            ledger.apply_total(jurisdiction_id, total, actor, {"change": change.pk})
            _close(change, actor, BudgetChangeStatus.APPROVED, _("A lower total applies at once."))
    return change


def visible_budget_changes(actor):
    require_capability(actor, "view_releases")
    return restrict(BudgetChange.objects.select_related("budget", "requested_by", "decided_by"),
                    actor, VIEW)


# Raises of a dataset's total ε under the same rules: a second coordinator of its jurisdiction.
BUDGET_CHANGES = FourEyes(BudgetChange, capability="approve_release",
                          jurisdiction="budget.jurisdiction_id", pending=BudgetChangeStatus.PENDING,
                          reason="decision_reason", related=("budget",),
                          decided_message=gettext_lazy(
                              "Only a change awaiting approval can be decided."))


def may_decide_budget(actor, change: BudgetChange) -> bool:
    return BUDGET_CHANGES.is_pending(change) and BUDGET_CHANGES.may_decide(actor, change)


def _close(change: BudgetChange, actor, status: str, reason: str) -> None:
    BUDGET_CHANGES.close(actor, change, status, reason, jurisdiction=change.budget.jurisdiction_id,
                         purpose="privacy budget", details={
                             "decision": status, "requested_by": change.requested_by_id})


def decide_budget_change(actor, change_id, approve_it: bool, reason: str = "") -> BudgetChange:
    """A second coordinator approves (the new total applies) or rejects (with a reason)."""
    change = get_visible_or_404(BudgetChange.objects.select_related("budget"), actor, pk=change_id)

    def require_reason():
        if not approve_it and not clean_text(reason):
            raise ValidationError({"reason": _("Say why the change is rejected.")})

    def effect(change):
        if approve_it:
            ledger.apply_total(change.budget.jurisdiction_id, change.new_total, actor, {
                "change": change.pk, "requested_by": change.requested_by.get_username(),
                "approved_by": actor.get_username()})
        _close(change, actor, BudgetChangeStatus.APPROVED if approve_it
               else BudgetChangeStatus.REJECTED, reason)

    # A change decided meanwhile is refused as already decided (a form error), like every
    # four-eyes flow: the decider check leaves the pending check to `decide`.
    return BUDGET_CHANGES.decide(actor, change, "approve" if approve_it else "reject", effect,
                                 before=require_reason)

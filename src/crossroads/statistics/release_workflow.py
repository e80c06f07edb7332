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
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import (
    CHANGE,
    VIEW,
    PolicyDenied,
    get_visible_or_404,
    may,
    require,
    require_capability,
    restrict,
)
from crossroads.audit.models import Action
from crossroads.audit.services import record, record_denied
from crossroads.jobs import services as jobs
from crossroads.text import clean_text

from . import ledger, tasks
from .models import PrivacyBudget, PrivacyLedgerEntry, Release, ReleaseStatus
from .releases import MANIFEST, ReleaseSpec, validated, write_manifest


def queue_release(actor, spec: ReleaseSpec, seed: int | None = None) -> Release:
    """Queue a release of the actor's jurisdiction's records (coordinators); `seed` makes the
    noise reproducible (the demo)."""
    require_capability(actor, "prepare_release")
    spec = validated(ReleaseSpec(**{**spec.__dict__, "jurisdiction": actor.jurisdiction_id}))
    with transaction.atomic():
        if spec.epsilon is not None:
            # Serialise queuing with charging so that the early check sees every reservation.
            budget = ledger.budget_of(actor.jurisdiction_id)
            PrivacyBudget.objects.select_for_update().filter(pk=budget.pk).first()
            ledger.check_available([actor.jurisdiction_id], spec.epsilon)
        release = Release.objects.create(kind=spec.kind, jurisdiction_id=actor.jurisdiction_id,
                                         parameters=spec.as_parameters(), epsilon=spec.epsilon,
                                         k=spec.k, threshold=spec.threshold, created_by=actor)
        release.job = jobs.enqueue("release", tasks.release, release.pk, seed, actor=actor,
                                   jurisdiction=actor.jurisdiction_id)
        release.save(update_fields=["job"])
        record(actor, Action.CREATE, release, details={"task": "release", **spec.as_parameters()})
    return release


# ---------------------------------------------------------------------------- four-eyes


def may_decide(actor, release: Release) -> bool:
    """A second coordinator: of the release's jurisdiction, not the one who prepared it."""
    return (may(actor, "approve_release") and release.created_by_id not in {None, actor.pk}
            and release.jurisdiction_id == actor.jurisdiction_id)


def _decided(actor, release_id, decision: str) -> Release:
    release = get_visible_or_404(Release.objects.all(), actor, pk=release_id)
    require(actor, CHANGE, release)
    if not may_decide(actor, release):
        record_denied(actor, Release, {"pk": release.pk}, decision)
        raise PolicyDenied(decision)
    return release


def _lock_prepared(release: Release) -> Release:
    locked = Release.objects.select_for_update().get(pk=release.pk)
    if locked.status != ReleaseStatus.PREPARED:
        raise ValidationError({"status": _("Only a release awaiting approval can be decided.")})
    return locked


def approve(actor, release_id, reason: str = "") -> Release:
    release = _decided(actor, release_id, "approve")
    with transaction.atomic():
        release = _lock_prepared(release)
        now = timezone.now()
        release.status, release.approved_by, release.decided_at = ReleaseStatus.APPROVED, actor, now
        release.approved_by_name = actor.get_username()
        release.decision_reason = clean_text(reason)[:500]
        release.manifest = {**release.manifest, "approved_by": release.approved_by_name,
                            "approved_at": now.isoformat()}
        release.save(update_fields=["status", "approved_by", "approved_by_name", "decided_at",
                                    "decision_reason", "manifest"])
        write_manifest(release)
        record(actor, Action.UPDATE, release, details={
            "decision": "approved", "prepared_by": release.created_by_id, "epsilon":
            None if release.epsilon is None else str(release.epsilon)})
    return release


def reject(actor, release_id, reason: str) -> Release:
    release = _decided(actor, release_id, "reject")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the release is rejected.")})
    with transaction.atomic():
        release = _lock_prepared(release)
        release.status, release.decided_at = ReleaseStatus.REJECTED, timezone.now()
        release.approved_by, release.decision_reason = actor, reason[:500]
        release.save(update_fields=["status", "decided_at", "approved_by", "decision_reason"])
        record(actor, Action.UPDATE, release, details={"decision": "rejected"})
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

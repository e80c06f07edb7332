"""Writes of duplicate detection, called by every surface (pages, API, CLI): confirm a pair
(merge), reject it, undo a merge, queue a whole-node run. Each checks the policy, writes
atomically and audits. Finding candidates after a save is the engine's glue (`node`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import deferred as audit_deferred
from crossroads.audit.services import record
from crossroads.jobs import services as jobs
from crossroads.jobs.choices import ACTIVE
from crossroads.registry.models import Person

from .choices import CandidateStatus
from .models import DedupeRun, MatchCandidate, PersonMerge
from .tasks import dedupe


def queue_dedupe(actor) -> DedupeRun:
    """Queue a run for the actor's jurisdiction; a run already queued or running is reused."""
    require_capability(actor, "rerun_dedupe")
    with transaction.atomic():
        active = DedupeRun.objects.filter(
            jurisdiction_id=actor.jurisdiction_id, job__status__in=ACTIVE
        ).first()
        if active:
            return active
        run = DedupeRun.objects.create(jurisdiction_id=actor.jurisdiction_id, started_by=actor)
        run.job = jobs.enqueue("dedupe", dedupe, run.pk, actor=actor, jurisdiction=actor.jurisdiction_id)
        run.save(update_fields=["job"])
        record(actor, Action.CREATE, run, details={"task": "dedupe"})
    return run


def _open_for_decision(actor, candidate_id: int) -> MatchCandidate:
    require_capability(actor, "review_duplicates")
    candidate = MatchCandidate.objects.select_for_update().get(pk=candidate_id)
    require(actor, CHANGE, candidate)
    if candidate.status != CandidateStatus.OPEN:
        raise ValidationError({"status": _("This pair has already been decided.")})
    return candidate


def confirm(actor, candidate: MatchCandidate, reason: str = "") -> PersonMerge:
    """Confirm a pair as one person: the later record is shown under the earlier one (unless
    only the later one already has records merged into it). Both rows stay."""
    with transaction.atomic(), audit_deferred():
        candidate = _open_for_decision(actor, candidate.pk)
        a, b = candidate.person_a, candidate.person_b
        survivor, merged = (a, b) if not b.merged_persons.exists() else (b, a)
        if a.merged_into_id or b.merged_into_id or merged.merged_persons.exists():
            raise ValidationError(
                {"status": _("One of these records is already merged with another; undo that merge first.")}
            )
        now = timezone.now()
        # A queryset update: the merged row keeps its own updated_at, so unmerging restores it.
        Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
        merge = PersonMerge.objects.create(
            survivor=survivor,
            merged=merged,
            candidate=candidate,
            merged_by=actor,
            merged_at=now,
            reason=reason.strip()[:500],
        )
        candidate.status, candidate.decided_by, candidate.decided_at = (CandidateStatus.CONFIRMED, actor, now)
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        record(actor, Action.UPDATE, candidate, details={"decision": "confirmed", "merge": merge.pk})
        record(actor, Action.CREATE, merge, details={"survivor": survivor.pk, "merged": merged.pk})
    return merge


def reject(actor, candidate: MatchCandidate, reason: str = "") -> MatchCandidate:
    """Two different persons: the pair is closed and never proposed again."""
    with transaction.atomic(), audit_deferred():
        candidate = _open_for_decision(actor, candidate.pk)
        candidate.status, candidate.decided_by, candidate.decided_at = (
            CandidateStatus.REJECTED,
            actor,
            timezone.now(),
        )
        candidate.decision_reason = reason.strip()[:500]
        candidate.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        # The reason stays in the candidate's encrypted row; the chain records only its length.
        record(
            actor,
            Action.UPDATE,
            candidate,
            details={"decision": "rejected", "reason_chars": len(candidate.decision_reason)},
        )
    return candidate


def undo_merge(actor, merge: PersonMerge) -> PersonMerge:
    """Unmerge: the merged person stands alone again and the pair is open for review again."""
    require_capability(actor, "review_duplicates")
    with transaction.atomic(), audit_deferred():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        require(actor, CHANGE, merge)
        if merge.undone_at:
            raise ValidationError({"status": _("This merge has already been undone.")})
        now = timezone.now()
        Person.objects.filter(pk=merge.merged_id, merged_into_id=merge.survivor_id).update(merged_into=None)
        merge.undone_by, merge.undone_at = actor, now
        merge.save(update_fields=["undone_by", "undone_at"])
        if merge.candidate_id:
            MatchCandidate.objects.filter(pk=merge.candidate_id).update(
                status=CandidateStatus.OPEN, decided_by=None, decided_at=None
            )
        record(
            actor,
            Action.UPDATE,
            merge,
            details={"decision": "undone", "survivor": merge.survivor_id, "merged": merge.merged_id},
        )
    return merge

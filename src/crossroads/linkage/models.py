"""Possible duplicates, their review, merges and whole-node deduplication runs."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from crossroads.access.models import Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.jobs.choices import JobStatus
from crossroads.jobs.models import Job
from crossroads.keys.fields import EncryptedTextField, row_key_field

from .choices import CandidateStatus

__all__ = ["CandidateStatus", "DedupeRun", "MatchCandidate", "PersonMerge"]


class DedupeRun(models.Model):
    """One whole-node deduplication and what it found; queued by a page, run as a background
    job (`linkage.tasks.dedupe`) whose `Job` keeps its state and progress."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    job = models.OneToOneField(
        Job, on_delete=models.PROTECT, null=True, blank=True, related_name="dedupe_run"
    )
    pairs_found = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def status(self) -> str:
        return self.job.status if self.job_id else JobStatus.QUEUED

    @property
    def active(self) -> bool:
        return self.job_id is not None and self.job.active


class MatchCandidate(models.Model):
    """Two persons the model finds probably the same (person_a.pk < person_b.pk)."""

    person_a = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN, db_index=True
    )
    found_at = models.DateTimeField(default=timezone.now)
    found_by_run = models.ForeignKey(
        DedupeRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(max_length=500, blank=True)  # typed when rejected
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="match_candidate_pair"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="match_candidate_ordered"
            ),
        ]

    def other(self, person_id: int) -> int:
        return self.person_b_id if person_id == self.person_a_id else self.person_a_id


class PersonMerge(models.Model):
    """A confirmed duplicate: `merged` shows under `survivor`; both rows and their history stay.
    Undoing sets `undone_at` and clears `merged.merged_into`: the earlier state, exactly."""

    survivor = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        MatchCandidate, on_delete=models.PROTECT, null=True, blank=True, related_name="merges"
    )
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(max_length=500, blank=True)
    row_key = row_key_field()
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-id"]

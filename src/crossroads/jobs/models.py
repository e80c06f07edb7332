"""One row per background job: what it is, who asked, how far it got, how it ended."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from crossroads.access.models import Jurisdiction
from crossroads.access.policy import RestrictedQuerySet

from .choices import ACTIVE, JobStatus


class Job(models.Model):
    """A job queued by `services.enqueue` and run by `crossroads tasks work`.

    The domain object the job works on (a deduplication run, a release, a reminder run) keeps
    its results and points here; this row keeps the queue state, the progress (`done` of
    `total` steps) and the outcome (`message`, or `error` when it failed)."""

    kind = models.CharField(max_length=40, db_index=True)   # registered in jobs.kinds
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # null: node-wide work
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")  # null: the operator, cron
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True, db_index=True)  # django-tasks

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} job {self.pk}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

"""Submissions from field devices: one row per content id, whatever the retries.

The sealed body is kept only while a person still has to decide on it (a conflict, a
correction); it opens only with the node's field key, which lives in the keyring outside the
database. Once recorded or discarded it is cleared and the row is the receipt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossroads.access.models import Agency, Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.assistance.models import ContactNote, Screening
from crossroads.registry.models import Case, Person
from crossroads.tips.models import Report

from .choices import OPEN_STATUSES, Kind, Status


class SubmissionQuerySet(RestrictedQuerySet):
    def waiting(self):
        return self.filter(status__in=OPEN_STATUSES)


class Submission(models.Model):
    content_id = models.UUIDField(_("content id"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="field_submissions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    captured_at = models.DateTimeField(_("captured at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    digest = models.CharField(max_length=64)  # SHA-256 of the sealed body as received
    sealed = models.JSONField(null=True, blank=True)  # kept only while undecided
    problems = models.JSONField(default=list, blank=True)  # [{"loc": [...], "msg": ...}]
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    screening = models.ForeignKey(Screening, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    contact_note = models.ForeignKey(ContactNote, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.receipt

    @property
    def receipt(self) -> str:
        return f"F-{self.pk:06d}"

"""Investigations: the history of a case's team, its handling-code changes (a lowering waits
for a second person), its transfers between agencies, and its log of events with evidence
files (narratives and files encrypted at rest, each bound to its row)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.models import Agency
from crossroads.access.policy import RestrictedQuerySet
from crossroads.keys.fields import EncryptedBinaryField, EncryptedTextField, row_key_field
from crossroads.registry.choices import HandlingCode, TeamRole
from crossroads.registry.models import Case

from .choices import EventKind, HandlingChangeStatus, TeamChangeKind


class TeamChange(models.Model):
    """One change of a case's team, as the case page shows it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team_changes")
    kind = models.CharField(_("change"), max_length=24, choices=TeamChangeKind.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team_role = models.CharField(_("team role"), max_length=16, choices=TeamRole.choices,
                                 blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]


class HandlingCodeChange(models.Model):
    """A change of a case's handling code: a raise is applied at once; a lowering waits for a
    second person of the owner agency (`services.handling`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handling_changes")
    from_code = models.CharField(_("from"), max_length=2, choices=HandlingCode.choices)
    to_code = models.CharField(_("to"), max_length=2, choices=HandlingCode.choices)
    status = models.CharField(_("status"), max_length=10, choices=HandlingChangeStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    request_reason = EncryptedTextField(_("reason"), max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = EncryptedTextField(_("reason of the decision"), max_length=500, blank=True)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="pending"),
                                    name="handling_change_one_pending"),
        ]


class OwnershipTransfer(models.Model):
    """A case handed from one agency of the jurisdiction to another, with its new lead."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ownership_transfers")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    new_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       related_name="+")
    transferred_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("reason"), max_length=500)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["transferred_at", "id"]


class CaseEvent(models.Model):
    """A dated entry of a case log: who wrote it, who took part, what happened."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    participants = EncryptedTextField(_("participants"), max_length=1000, blank=True)
    narrative = EncryptedTextField(_("narrative"), max_length=20000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]


class EvidenceFile(models.Model):
    """A file attached to a log entry. Its SHA-256 is taken at upload and checked at every
    download (chain of custody); the content and its name are encrypted at rest."""

    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="evidence")
    filename = EncryptedTextField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = EncryptedBinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

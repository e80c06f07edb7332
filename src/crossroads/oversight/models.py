"""Access alerts raised by the scan (`detection`), their triage notes, and the scans run."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.policy import RestrictedQuerySet

from .choices import CLOSED, AlertKind, AlertStatus, Severity


class AlertQuerySet(RestrictedQuerySet):
    def still_open(self):
        return self.exclude(status__in=CLOSED)


class Alert(models.Model):
    """One finding of a rule. `fingerprint` names what it is about (kind, account, subject,
    period): a re-scan that finds it again adds entries to it, never a second alert. Who it is
    about is copied (`actor_id`, `username`, `agency_id`) like the audit entries do."""

    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, db_index=True)
    fingerprint = models.CharField(max_length=200, unique=True)
    actor_id = models.BigIntegerField(null=True)
    username = models.CharField(_("account"), max_length=150, blank=True)
    agency_id = models.BigIntegerField(null=True)
    person_id = models.BigIntegerField(null=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    status = models.CharField(_("status"), max_length=16, choices=AlertStatus.choices,
                              default=AlertStatus.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("assigned to"))
    entries = models.JSONField(default=list)        # ids of the audit entries behind it
    facts = models.JSONField(default=dict)          # the figures that explain it
    first_at = models.DateTimeField()               # the first and last entry behind it
    last_at = models.DateTimeField()
    raised_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("access alert")

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.username}"


class AlertNote(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("note"))
    at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]


class Scan(models.Model):
    """One run of the rules: when, over which entries, and what it raised."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True)
    last_entry = models.BigIntegerField(default=0)
    raised = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

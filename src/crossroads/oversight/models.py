"""Access alerts raised by the scan (`detection`), their triage notes, the scans run, and the
ombudsman's own cases: inquiries (from alerts or a complaint) with their findings and the
recommendations to agencies."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.models import Agency
from crossroads.access.policy import RestrictedQuerySet
from crossroads.keys.fields import EncryptedTextField, row_key_field
from crossroads.versions import version_field

from .choices import (
    CLOSED,
    INQUIRY_ENDED,
    RECOMMENDATION_OWED,
    AlertKind,
    AlertStatus,
    InquirySource,
    InquiryStatus,
    RecommendationStatus,
    Severity,
)


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


class InquiryQuerySet(RestrictedQuerySet):
    def still_open(self):
        return self.exclude(status__in=INQUIRY_ENDED)


class Inquiry(models.Model):
    """One case of the oversight body: opened from access alerts or from a complaint (who
    complained, when, about what agency or account), investigated, concluded by findings and
    recommendations, closed. The complainant, the subject, the findings and the reasons are
    narratives: encrypted at rest, bound to the row."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, db_index=True)
    source = models.CharField(_("opened from"), max_length=10, choices=InquirySource.choices)
    subject = EncryptedTextField(_("subject"), max_length=300)
    complainant = EncryptedTextField(_("who complained"), max_length=300, blank=True)
    received_on = models.DateField(_("complaint received on"), null=True, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("agency concerned"))
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+",
                                verbose_name=_("account concerned"))
    alerts = models.ManyToManyField(Alert, blank=True, related_name="inquiries",
                                    verbose_name=_("access alerts"))
    status = models.CharField(_("status"), max_length=16, choices=InquiryStatus.choices,
                              default=InquiryStatus.OPEN)
    findings = EncryptedTextField(_("findings"), blank=True)
    reason = EncryptedTextField(_("reason"), blank=True)      # why it was withdrawn or closed
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    investigating_at = models.DateTimeField(_("investigation started"), null=True, blank=True)
    findings_at = models.DateTimeField(_("findings issued"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()
    row_key = row_key_field()

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")

    def __str__(self):
        return f"#{self.pk} {self.status}"


class RecommendationQuerySet(RestrictedQuerySet):
    def overdue(self, today: datetime.date | None = None):
        """Still owed by the agency (pending or accepted) and past the deadline."""
        return self.filter(status__in=RECOMMENDATION_OWED,
                           deadline__lt=today or timezone.localdate())


class Recommendation(models.Model):
    """What the oversight body asks an agency to do, by when, and the agency's answer (a
    letter, entered by oversight: agencies have no access to inquiries)."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE,
                                related_name="recommendations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("addressed to"))
    text = EncryptedTextField(_("recommendation"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("implementation"), max_length=12,
                              choices=RecommendationStatus.choices,
                              default=RecommendationStatus.PENDING)
    answer = EncryptedTextField(_("the agency's answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = version_field()
    row_key = row_key_field()

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("recommendation")

    def __str__(self):
        return f"#{self.pk} {self.status}"

    @property
    def overdue(self) -> bool:
        return self.status in RECOMMENDATION_OWED and self.deadline < timezone.localdate()

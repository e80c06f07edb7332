"""A report from the public and its conversation. Nothing here identifies the reporter: no
address, agent or cookie is kept (docs/threat-model.md, "The public report form"); the receipt
is stored only as its slow hash; every text is encrypted at rest, bound to its row."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.models import Agency, Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.keys.fields import EncryptedTextField, row_key_field
from crossroads.registry.models import Case
from crossroads.versions import version_field

from .choices import (
    OPEN_STATUSES,
    OPERATOR_STATES,
    Affected,
    Author,
    Channel,
    NoActionReason,
    Occurred,
    Status,
    Urgency,
)


class ReportQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def to_remind(self, now=None):
        """Urgent reports past their deadline whose reminder has not gone out."""
        return self.overdue(now).filter(urgency=Urgency.DANGER, reminded_at__isnull=True)


class Report(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices,
                               default=Channel.WEB)
    language = models.CharField(_("language"), max_length=8)
    what_happened = EncryptedTextField(_("what happened"))
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    place = EncryptedTextField(_("place"), max_length=300, blank=True)
    occurred = models.CharField(_("when"), max_length=8, choices=Occurred.choices,
                                default=Occurred.UNKNOWN)
    affected = models.CharField(_("who may be affected"), max_length=8, choices=Affected.choices,
                                default=Affected.UNKNOWN)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices,
                               default=Urgency.ROUTINE, db_index=True)
    contact = EncryptedTextField(_("contact"), max_length=300, blank=True)
    # Hotline calls: when the call came and the operator's notes (None/empty for the web form).
    call_at = models.DateTimeField(_("time of the call"), null=True, blank=True)
    call_notes = EncryptedTextField(_("call notes"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("entered by"))
    receipt_digest = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    # Triage.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.NEW, db_index=True)
    due_at = models.DateTimeField(_("triage due"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("taken by"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("assigned to"))
    no_action_reason = models.CharField(_("reason for no action"), max_length=16, blank=True,
                                        choices=NoActionReason.choices)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("case"))
    # Closed as a duplicate (no action, reason "duplicate"): the report it repeats.
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("duplicate of"))
    version = version_field()
    row_key = row_key_field()

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("report")
        indexes = [models.Index(fields=["jurisdiction", "status", "due_at"], name="tips_queue")]

    def __str__(self):
        return f"R-{self.pk}"

    @property
    def operator_state(self) -> str:
        """The state as the hotline operator who entered the call may know it."""
        return next(state for state, statuses in OPERATOR_STATES.items()
                    if self.status in statuses)

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_STATUSES and self.due_at < timezone.now()


class Message(models.Model):
    """One turn of the conversation between the reporter and the triage team."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("from"), max_length=8, choices=Author.choices)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    body = EncryptedTextField(_("message"))
    sent_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "id"]

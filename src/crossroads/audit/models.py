"""Audit entries form one hash chain; the database refuses updates and deletes of them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossroads.access.policy import RestrictedQuerySet

from .choices import Action, Outcome, PurposeKind


class AuditEntry(models.Model):
    """Actor fields are copied, not linked, so that no later change can rewrite history."""

    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(null=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    agency_id = models.BigIntegerField(null=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Both NULL on entries made before the chain was keyed (plain SHA-256, see chain.py). They
    # are nullable without a default so that adding them leaves the table, and its append-only
    # triggers, in place on SQLite.
    seq = models.BigIntegerField(null=True)
    key_id = models.CharField(max_length=32, null=True)  # noqa: DJ001

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [models.UniqueConstraint(fields=["seq"], condition=models.Q(seq__isnull=False),
                                               name="audit_entry_unique_seq")]

    def get_purpose_display(self) -> str:
        """The purpose as a reader sees it: its kind translated, then its detail (a case
        reference, a free text), e.g. "Case work: AL-2026-0001"; a purpose written before
        the kinds existed (an API client's header) as it is."""
        kind, _sep, detail = self.purpose.partition(": ")
        if kind not in PurposeKind.values:
            return self.purpose
        label = str(PurposeKind(kind).label)
        return f"{label}: {detail}" if detail else label


class ChainHead(models.Model):
    """Single row holding the chain's last hash and sequence number; locking it serialises
    appends. It lives in the database, so verification never trusts it alone."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    last_seq = models.BigIntegerField(default=0)

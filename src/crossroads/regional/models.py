"""The hub's store of released aggregates, one row per jurisdiction and release version."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.policy import RestrictedQuerySet


class RegionalRelease(models.Model):
    """The suppressed tables one node released for one jurisdiction (validated on receipt:
    aggregate cells only, every small cell suppressed; see tables.validate)."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2)
    node = models.CharField(_("node"), max_length=16)
    version = models.CharField(_("release version"), max_length=80)
    made_at = models.DateTimeField(_("released at"))
    threshold = models.PositiveIntegerField(_("suppression threshold"))
    records = models.PositiveIntegerField(_("records"))
    tables = models.JSONField(_("tables"))
    message_id = models.UUIDField(unique=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction", "-made_at"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "version"],
                                               name="regional_release_once")]


class RegionalScorecard(models.Model):
    """The scorecard one node published for a closed review cycle of one jurisdiction: counts
    by status per pillar and instrument (validated on receipt: counts only; see scorecards)."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2)
    node = models.CharField(_("node"), max_length=16)
    version = models.CharField(_("version"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    pillars = models.JSONField(_("pillars"))
    instruments = models.JSONField(_("instruments"))
    message_id = models.UUIDField(unique=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction", "-year", "-received_at"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "version"],
                                               name="regional_scorecard_once")]

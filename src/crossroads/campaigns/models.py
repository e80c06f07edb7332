"""The register of awareness campaigns: one row per campaign of a jurisdiction. Nothing here
is personal data; the campaign's report is computed from counts (queries, its)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.models import Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.versions import version_field

from .choices import Audience, Channel


class Campaign(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Municipalities of the jurisdiction (names as crossroads.tips.places lists them).
    areas = models.JSONField(_("areas"), default=list)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    languages = models.JSONField(_("languages"), default=list)
    cost = models.DecimalField(_("cost (EUR)"), max_digits=12, decimal_places=2)
    funding_line = models.CharField(_("funding line"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("registered by"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")

    def __str__(self):
        return self.title

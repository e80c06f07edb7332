"""Vocabularies of duplicate detection."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")

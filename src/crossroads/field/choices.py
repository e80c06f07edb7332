"""Vocabularies of field capture: what a device sends and what became of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import Role


class Kind(models.TextChoices):
    SCREENING = "screening", _("Screening on indicators")
    REGISTRATION = "registration", _("Registration of a presumed victim")
    CONTACT_NOTE = "contact_note", _("Contact note")
    FIELD_REPORT = "field_report", _("Report from the field")


class Status(models.TextChoices):
    APPLIED = "applied", _("Recorded")
    CONFLICT = "conflict", _("Conflict: the case or person changed since the capture")
    NEEDS_CORRECTION = "needs_correction", _("Needs correction")
    DISCARDED = "discarded", _("Discarded")


# What is still waiting for a person's decision on the node.
OPEN_STATUSES = {Status.CONFLICT, Status.NEEDS_CORRECTION}

# The roles that work in the field: outreach (case workers) and police and labour inspection
# (investigators).
FIELD_ROLES = frozenset({Role.CASE_WORKER, Role.INVESTIGATOR})

# A capture claimed to be made this far in the future is refused (a device's clock drifts).
CLOCK_SKEW_MINUTES = 10

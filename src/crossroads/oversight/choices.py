"""Vocabularies of oversight: the kinds of access alert, their severity, the triage states and
the steps between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    VOLUME = "volume", _("Reads far above own and peers' baseline")
    SCANNING = "scanning", _("Name searches without case work after")
    OUTSIDE_CASES = "outside_cases", _("Victim's contacts read outside own cases and team")
    UNUSUAL_HOURS = "unusual_hours", _("Access at unusual hours for this user")
    SAME_NAME = "same_name", _("Looked up a person with the user's own family name")
    MANY_READERS = "many_readers", _("Many unconnected users read one person")
    BULK_EXPORT = "bulk_export", _("Bulk export")
    BREAK_GLASS = "break_glass", _("Repeated break-glass")
    AFTER_CHANGE = "after_change", _("Reads right after an account or role change")
    OFFICIAL_LINK = "official_link", _("Suspect read by an account of the suspect's agency")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_REVIEW = "under_review", _("Under review")
    JUSTIFIED = "justified", _("Justified")
    REFERRED = "referred", _("Referred")
    DISMISSED = "dismissed", _("Dismissed")


# Where triage may go from each state; a closing step needs a reason.
TRANSITIONS = {
    AlertStatus.OPEN: {AlertStatus.UNDER_REVIEW, AlertStatus.JUSTIFIED, AlertStatus.REFERRED,
                       AlertStatus.DISMISSED},
    AlertStatus.UNDER_REVIEW: {AlertStatus.JUSTIFIED, AlertStatus.REFERRED,
                               AlertStatus.DISMISSED, AlertStatus.OPEN},
    AlertStatus.JUSTIFIED: {AlertStatus.UNDER_REVIEW},
    AlertStatus.REFERRED: {AlertStatus.UNDER_REVIEW},
    AlertStatus.DISMISSED: {AlertStatus.UNDER_REVIEW},
}
CLOSED = {AlertStatus.JUSTIFIED, AlertStatus.REFERRED, AlertStatus.DISMISSED}

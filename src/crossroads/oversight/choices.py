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
    WITNESS = "witness", _("The hub, witness of the audit chain, saw it rewritten, go back or "
                           "fall silent")


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


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    FINDINGS_ISSUED = "findings_issued", _("Findings issued")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The steps of an inquiry; issuing findings needs the findings written, withdrawing a reason.
INQUIRY_TRANSITIONS = {
    InquiryStatus.OPEN: {InquiryStatus.INVESTIGATING, InquiryStatus.WITHDRAWN},
    InquiryStatus.INVESTIGATING: {InquiryStatus.FINDINGS_ISSUED, InquiryStatus.WITHDRAWN},
    InquiryStatus.FINDINGS_ISSUED: {InquiryStatus.CLOSED},
    InquiryStatus.CLOSED: set(),
    InquiryStatus.WITHDRAWN: set(),
}
INQUIRY_ENDED = {InquiryStatus.CLOSED, InquiryStatus.WITHDRAWN}
# The date column each step stamps.
INQUIRY_STEP_DATES = {
    InquiryStatus.INVESTIGATING: "investigating_at",
    InquiryStatus.FINDINGS_ISSUED: "findings_at",
    InquiryStatus.CLOSED: "closed_at",
    InquiryStatus.WITHDRAWN: "closed_at",
}


class InquirySource(models.TextChoices):
    ALERT = "alert", _("Access alert")
    COMPLAINT = "complaint", _("Complaint")


class RecommendationStatus(models.TextChoices):
    """What became of a recommendation, as the agency's answer (a letter) says. Overdue is not
    stored: a pending or accepted recommendation past its deadline (`Recommendation.overdue`)."""

    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")


# Still owed by the agency: past the deadline these are overdue.
RECOMMENDATION_OWED = {RecommendationStatus.PENDING, RecommendationStatus.ACCEPTED}

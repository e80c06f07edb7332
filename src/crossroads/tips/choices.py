"""Vocabularies of reports from the public: how a report came in, its urgency and state, and
the reasons a report leads to no action."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import AgencyKind, Role


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    PHONE = "phone", _("Hotline: phone call")
    CHAT = "chat", _("Hotline: chat or messaging")
    WALK_IN = "walk_in", _("Hotline: in person")
    # What an outreach worker or labour inspector saw, entered by them (crossroads.field).
    FIELD = "field", _("Report from the field")


HOTLINE_CHANNELS = [Channel.PHONE, Channel.CHAT, Channel.WALK_IN]


class Urgency(models.TextChoices):
    DANGER = "danger", _("Someone is in danger now")
    SOON = "soon", _("It should be looked at within days")
    ROUTINE = "routine", _("Not urgent")


# How long triage may take before a report is overdue (its deadline), by urgency.
TRIAGE_DEADLINE = {
    Urgency.DANGER: datetime.timedelta(hours=4),
    Urgency.SOON: datetime.timedelta(days=3),
    Urgency.ROUTINE: datetime.timedelta(days=14),
}


class Occurred(models.TextChoices):
    ONGOING = "ongoing", _("It is still happening")
    DAYS = "days", _("In the last few days")
    WEEKS = "weeks", _("In the last few weeks")
    MONTHS = "months", _("Months ago or longer")
    UNKNOWN = "unknown", _("I do not know")


class Affected(models.TextChoices):
    CHILDREN = "children", _("Children (under 18)")
    ADULTS = "adults", _("Adults")
    BOTH = "both", _("Children and adults")
    UNKNOWN = "unknown", _("I do not know")


class Status(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    REFERRED = "referred", _("Referred to a case")
    NO_ACTION = "no_action", _("No action")


OPEN_STATUSES = (Status.NEW, Status.UNDER_REVIEW)
TRANSITIONS = {
    Status.NEW: {Status.UNDER_REVIEW, Status.REFERRED, Status.NO_ACTION},
    Status.UNDER_REVIEW: {Status.REFERRED, Status.NO_ACTION},
    Status.REFERRED: set(),
    Status.NO_ACTION: {Status.UNDER_REVIEW},  # reopened, when more information comes
}


class OperatorState(models.TextChoices):
    """What the operator who entered a call learns of its triage: not the case it became, not
    who handles it."""

    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    CLOSED = "closed", _("Closed")


OPERATOR_STATES = {
    OperatorState.NEW: (Status.NEW,),
    OperatorState.UNDER_REVIEW: (Status.UNDER_REVIEW,),
    OperatorState.CLOSED: (Status.REFERRED, Status.NO_ACTION),
}


class NoActionReason(models.TextChoices):
    NOT_TRAFFICKING = "not_trafficking", _("Not trafficking (passed on elsewhere if needed)")
    INSUFFICIENT = "insufficient", _("Too little information to act on")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    ALREADY_KNOWN = "already_known", _("Already known to a case")
    FALSE = "false", _("False or malicious")


class Author(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    TEAM = "team", _("Triage team")


# Who takes reports: the jurisdiction's police and NGOs, in these roles.
TAKING_AGENCIES = (AgencyKind.POLICE, AgencyKind.NGO)
TRIAGE_ROLES = (Role.INVESTIGATOR, Role.CASE_WORKER, Role.FOCAL_POINT)
# Who enters a report from the field: outreach (case workers), police and labour inspection
# (investigators).
FIELD_REPORTERS = (Role.CASE_WORKER, Role.INVESTIGATOR)

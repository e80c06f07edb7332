"""Vocabularies of the audit trail: what an entry records and how it ended."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    READ_IDENTITY = "read_identity", _("Read identity")
    SEARCH = "search", _("Search")
    VIEW_STATISTICS = "view_statistics", _("View of statistics")
    EXPORT = "export", _("Export")
    DENIED = "denied", _("Denied attempt")
    LOGIN = "login", _("Log in")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    LOGOUT = "logout", _("Log out")


class Outcome(models.TextChoices):
    OK = "ok", _("Allowed")
    DENIED = "denied", _("Denied")


class PurposeKind(models.TextChoices):
    """Why an identity was opened: the first part of an entry's `purpose` ("case_work: AL-…")."""

    CASE_WORK = "case_work", _("Case work")
    IDENTIFICATION = "identification", _("Identification check")
    ASSISTANCE = "assistance", _("Referral / victim assistance")
    COURT = "court", _("Court or prosecution preparation")
    OVERSIGHT = "oversight", _("Oversight")
    OTHER = "other", _("Other")
    BREAK_GLASS = "break_glass", _("Break-glass")

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

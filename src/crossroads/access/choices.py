"""Vocabularies of the access context: roles, agency kinds, jurisdictions, token scopes, the
kinds and states of four-eyes requests, and the purposes of activation links."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    INVESTIGATOR = "investigator", _("Investigator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    FOCAL_POINT = "focal_point", _("Focal point")
    COORDINATOR = "coordinator", _("National coordinator")
    ANALYST = "analyst", _("Analyst")
    OVERSIGHT = "oversight", _("Oversight")
    ADMINISTRATOR = "administrator", _("Administrator")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Prosecution")
    COURT = "court", _("Court")
    SOCIAL_SERVICES = "social_services", _("Social services")
    NGO = "ngo", _("NGO")
    SHELTER = "shelter", _("Shelter")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    COORDINATOR = "coordinator", _("National coordinator's office")
    OMBUDSMAN = "ombudsman", _("Ombudsman")
    INTERNATIONAL = "international", _("International organisation")


JURISDICTION_NAMES = {
    "AL": _("Albania"),
    "BA": _("Bosnia and Herzegovina"),
    "XK": _("Kosovo"),
    "ME": _("Montenegro"),
    "MK": _("North Macedonia"),
    "RS": _("Serbia"),
}


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApprovalKind(models.TextChoices):
    CREATE_ACCOUNT = "create_account", _("New account")
    CHANGE_ACCOUNT = "change_account", _("Account change")
    CHANGE_AGENCY = "change_agency", _("Agency change")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ActivationPurpose(models.TextChoices):
    ACTIVATE = "activate", _("Activation of a new account")
    RESET = "reset", _("Password reset")

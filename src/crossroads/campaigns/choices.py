"""Vocabularies of the campaign register: how a campaign reached people and whom it spoke to,
and the three phases its report compares."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    TELEVISION = "television", _("Television")
    RADIO = "radio", _("Radio")
    ONLINE = "online", _("Online and social media")
    PRINT = "print", _("Print (posters, leaflets, press)")
    OUTDOOR = "outdoor", _("Outdoor (billboards, transport)")
    EVENTS = "events", _("Events and outreach")
    SCHOOLS = "schools", _("Schools")
    MIXED = "mixed", _("Several channels")


class Audience(models.TextChoices):
    GENERAL = "general", _("General public")
    YOUNG = "young", _("Young people")
    PARENTS = "parents", _("Parents and teachers")
    WORKERS = "workers", _("Workers and job seekers")
    MIGRANTS = "migrants", _("Migrants and people travelling abroad")
    EMPLOYERS = "employers", _("Employers")
    PROFESSIONALS = "professionals", _("Professionals (police, health, social work)")


class Phase(models.TextChoices):
    BEFORE = "before", _("Before")
    DURING = "during", _("During")
    AFTER = "after", _("After")

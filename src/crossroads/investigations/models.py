"""Investigations: the history of a case's team, its handling-code changes (a lowering waits
for a second person), its transfers between agencies, and its log of events with evidence
files (narratives and files encrypted at rest, each bound to its row)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.models import Agency, Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.keys.fields import EncryptedBinaryField, EncryptedTextField, row_key_field
from crossroads.registry.choices import HandlingCode, TeamRole
from crossroads.registry.models import Case, Involvement, Person
from crossroads.versions import version_field

from .choices import (
    EventKind,
    HandlingChangeStatus,
    OffenceCategory,
    Stage,
    TeamChangeKind,
    Verdict,
)


class TeamChange(models.Model):
    """One change of a case's team, as the case page shows it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team_changes")
    kind = models.CharField(_("change"), max_length=24, choices=TeamChangeKind.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team_role = models.CharField(_("team role"), max_length=16, choices=TeamRole.choices,
                                 blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]


class HandlingCodeChange(models.Model):
    """A change of a case's handling code: a raise is applied at once; a lowering waits for a
    second person of the owner agency (`services.handling`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handling_changes")
    from_code = models.CharField(_("from"), max_length=2, choices=HandlingCode.choices)
    to_code = models.CharField(_("to"), max_length=2, choices=HandlingCode.choices)
    status = models.CharField(_("status"), max_length=10, choices=HandlingChangeStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    request_reason = EncryptedTextField(_("reason"), max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = EncryptedTextField(_("reason of the decision"), max_length=500, blank=True)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="pending"),
                                    name="handling_change_one_pending"),
        ]


class OwnershipTransfer(models.Model):
    """A case handed from one agency of the jurisdiction to another, with its new lead."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ownership_transfers")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    new_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       related_name="+")
    transferred_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("reason"), max_length=500)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["transferred_at", "id"]


class CaseEvent(models.Model):
    """A dated entry of a case log: who wrote it, who took part, what happened."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    participants = EncryptedTextField(_("participants"), max_length=1000, blank=True)
    narrative = EncryptedTextField(_("narrative"), max_length=20000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]


class EvidenceFile(models.Model):
    """A file attached to a log entry. Its SHA-256 is taken at upload and checked at every
    download (chain of custody); the content and its name are encrypted at rest."""

    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="evidence")
    filename = EncryptedTextField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = EncryptedBinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]


class Offence(models.Model):
    """An offence of a jurisdiction's criminal code, as the coordinator keeps the catalogue.
    `checked` says whether the article was compared with the code's official text; `category`
    maps it to the offences of the international instruments (what the statistics count)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    category = models.CharField(_("category"), max_length=32, choices=OffenceCategory.choices)
    article = models.CharField(_("article"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    checked = models.BooleanField(_("checked against the code"), default=False)
    version = version_field()  # a correction built from an older read is refused

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction", "category", "code"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"],
                                               name="offence_code_once")]

    def __str__(self):
        return f"{self.title} ({self.article})" if self.article else self.title


MONEY = {"max_digits": 12, "decimal_places": 2, "null": True, "blank": True,
         "validators": [MinValueValidator(0)]}


class Proceeding(models.Model):
    """The criminal proceeding against one person of a case for one offence, moved through
    its stages by `services.proceedings` (the stage machine in `choices`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proceedings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="proceedings")
    offence = models.ForeignKey(Offence, on_delete=models.PROTECT, related_name="proceedings")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices,
                             default=Stage.INVESTIGATION)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    investigation_opened_on = models.DateField(_("investigation opened"))
    indicted_on = models.DateField(_("indicted"), null=True, blank=True)
    verdict_on = models.DateField(_("verdict given"), null=True, blank=True)
    sentenced_on = models.DateField(_("sentenced"), null=True, blank=True)
    appealed_on = models.DateField(_("appealed"), null=True, blank=True)
    final_on = models.DateField(_("final"), null=True, blank=True)
    custodial_months = models.PositiveIntegerField(_("custodial sentence (months)"), null=True,
                                                   blank=True)
    suspended = models.BooleanField(_("suspended"), default=False)
    fine_eur = models.DecimalField(_("fine (EUR)"), **MONEY)
    confiscation = models.BooleanField(_("confiscation of proceeds"), default=False)
    # The victims' compensation in this proceeding (CETS 197 Art. 15).
    compensation_claimed_eur = models.DecimalField(_("compensation claimed (EUR)"), **MONEY)
    compensation_awarded_eur = models.DecimalField(_("compensation awarded (EUR)"), **MONEY)
    # A proceeding against a victim, where the non-punishment provision was invoked (Art. 26).
    non_punishment_invoked = models.BooleanField(_("non-punishment invoked"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "person", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person", "offence"],
                                               name="proceeding_once_per_charge")]


class StageChange(models.Model):
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="stages")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    on = models.DateField()
    verdict = models.CharField(max_length=12, choices=Verdict.choices, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["on", "id"]


class CrimeGroup(models.Model):
    """An organised-crime group, named by law enforcement of a jurisdiction; its suspects link
    the cases it is known in."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"],
                                               name="crime_group_name_once")]

    def __str__(self):
        return self.name


class SuspectMarker(models.Model):
    """What the statistics count about a suspect in a case: a public official (a corruption
    link), membership of an organised-crime group."""

    involvement = models.OneToOneField(Involvement, on_delete=models.CASCADE,
                                       related_name="suspect_marker")
    public_official = models.BooleanField(_("public official"), default=False)
    # The agency the official works for, when it is one of the node's own: oversight raises an
    # alert when an account of that agency reads the suspect (crossroads.oversight).
    official_agency = models.ForeignKey("access.Agency", on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="+",
                                        verbose_name=_("the official's agency"))
    group = models.ForeignKey(CrimeGroup, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="markers", verbose_name=_("organised-crime group"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

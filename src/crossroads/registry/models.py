"""Registry models. Identity fields live only on Person, IdentityDocument, Contact and Alias
(and the case narrative and status reasons); all of them are encrypted at rest, each bound to
its row (`crossroads.keys.fields`)."""

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.models import Agency, Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.keys.fields import EncryptedDateField, EncryptedTextField, row_key_field
from crossroads.names.script import has_cyrillic, to_latin
from crossroads.versions import version_field

from .choices import (
    AgeBand,
    CaseStatus,
    ContactKind,
    DatePrecision,
    DocumentType,
    ExploitationForm,
    HandlingCode,
    InvolvementRole,
    LabourSector,
    LegalBasis,
    MeansOfControl,
    RecruiterRelation,
    Sex,
    SexualExploitationType,
    TeamRole,
    TrialOutcome,
    VulnerableGroup,
)


class Person(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    given_names = EncryptedTextField(_("given name(s)"), max_length=200)
    family_name = EncryptedTextField(_("family name"), max_length=200)
    father_name = EncryptedTextField(_("father's name"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_precision = models.CharField(_("precision of the date of birth"), max_length=8,
                                       choices=DatePrecision.choices, default=DatePrecision.EXACT)
    place_of_birth = EncryptedTextField(_("place of birth"), max_length=200, blank=True)
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    created_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by a confirmed duplicate (crossroads.linkage.services.confirm): the row, its involvements
    # and its history stay; lists show the survivor. Unmerging clears it.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_persons", verbose_name=_("merged into"))
    version = version_field()  # of the identity record that PUT replaces (crossroads.versions)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("person")

    def __str__(self):
        return f"{self.given_names} {self.family_name}"

    @property
    def latin_name(self) -> str:
        """The name in Latin letters when it is recorded in Cyrillic (for a reader who does not
        read Cyrillic), else empty."""
        name = str(self)
        return to_latin(name) if has_cyrillic(name) else ""

    @property
    def display_birth(self) -> str:
        if not self.birth_date:
            return ""
        # In the page language's formats (04.05.2001, maj 2001); a year alone needs none.
        fmt = {"exact": "SHORT_DATE_FORMAT", "month": "YEAR_MONTH_FORMAT"}.get(self.birth_precision)
        prefix = "~" if self.birth_precision == DatePrecision.AGE else ""
        return prefix + (formats.date_format(self.birth_date, fmt) if fmt else str(self.birth_date.year))


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = EncryptedTextField(_("alias"), max_length=200)
    row_key = row_key_field()

    class Meta:
        ordering = ["id"]


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=24, choices=DocumentType.choices)
    number = EncryptedTextField(_("document number"), max_length=40)
    issuing_country = models.CharField(_("issuing country"), max_length=2)
    row_key = row_key_field()

    class Meta:
        ordering = ["id"]


class Contact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    value = EncryptedTextField(_("value"), max_length=300)
    row_key = row_key_field()

    class Meta:
        ordering = ["id"]


class VulnerabilityRecord(models.Model):
    """A person's membership of a vulnerable group: special-category data, kept only with its
    legal basis. The group is encrypted at rest like the identity fields (it reveals ethnic
    origin, health or migration status); it never leaves the node in a record-level release or
    export, only counted in aggregates through disclosure control (`statistics.dimensions`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    group = EncryptedTextField(_("vulnerable group"), max_length=32)  # VulnerableGroup code
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    legal_reference = EncryptedTextField(_("legal reference"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    @property
    def group_label(self) -> str:
        return str(VulnerableGroup(self.group).label)


class SearchKey(models.Model):
    """Keyed hash (blind index) of a normalised identity value, for search without plaintext."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    kind = models.CharField(max_length=8)  # name, dob, doc
    digest = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["kind", "digest"])]


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="owned_cases",
                                     verbose_name=_("owner agency"))
    assigned_agencies = models.ManyToManyField(Agency, blank=True, related_name="assigned_cases",
                                               verbose_name=_("assigned agencies"))
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="case_teams",
                                  through="CaseTeamMember", verbose_name=_("team"))
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.OPEN, db_index=True)
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices,
                                     default=HandlingCode.H0)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate, db_index=True)
    summary = EncryptedTextField(_("summary"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()  # of the case record: status, handling code (crossroads.versions)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        # The case list's order, within a jurisdiction (bench/api/RESULTS.md).
        indexes = [models.Index(fields=["jurisdiction", "-opened_on", "-id"], name="case_list_order")]

    def __str__(self):
        return self.reference


class CaseTeamMember(models.Model):
    """A user on a case's team, with their part in it; the team decides who sees an H3 case
    (`registry.rules`). The table is the one the plain many-to-many had (migration 0006)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team_role = models.CharField(_("team role"), max_length=16, choices=TeamRole.choices,
                                 default=TeamRole.INVESTIGATOR)
    added_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        db_table = "registry_case_team"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="registry_case_team_once"),
            models.UniqueConstraint(fields=["case"], condition=models.Q(team_role="lead"),
                                    name="registry_case_team_one_lead"),
        ]


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("reason"), max_length=500, blank=True)
    # Only when a case closes from trial: what the court decided.
    outcome = models.CharField(_("outcome of the trial"), max_length=16,
                               choices=TrialOutcome.choices, blank=True)
    row_key = row_key_field()

    class Meta:
        ordering = ["changed_at", "id"]


class Involvement(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="involvements")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    role = models.CharField(_("role"), max_length=16, choices=InvolvementRole.choices, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "case", "role"], name="involvement_unique"),
        ]


FORM_FIELDS = {form.value: f"form_{form.value}" for form in ExploitationForm}


class ExploitationRecord(models.Model):
    """One victim's exploitation in one case, aligned with the CTDC data standard."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exploitation_records")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="exploitation_records")
    year_of_registration = models.PositiveSmallIntegerField(_("year of registration"), db_index=True)
    form_sexual = models.BooleanField(ExploitationForm.SEXUAL.label, default=False)
    form_forced_labour = models.BooleanField(ExploitationForm.FORCED_LABOUR.label, default=False)
    form_forced_begging = models.BooleanField(ExploitationForm.FORCED_BEGGING.label, default=False)
    form_forced_criminality = models.BooleanField(ExploitationForm.FORCED_CRIMINALITY.label,
                                                  default=False)
    form_forced_marriage = models.BooleanField(ExploitationForm.FORCED_MARRIAGE.label, default=False)
    form_illegal_adoption = models.BooleanField(ExploitationForm.ILLEGAL_ADOPTION.label, default=False)
    form_organ_removal = models.BooleanField(ExploitationForm.ORGAN_REMOVAL.label, default=False)
    form_surrogacy = models.BooleanField(ExploitationForm.SURROGACY.label, default=False)
    form_forced_military = models.BooleanField(ExploitationForm.FORCED_MILITARY.label, default=False)
    form_slavery = models.BooleanField(ExploitationForm.SLAVERY.label, default=False)
    form_other = models.BooleanField(ExploitationForm.OTHER.label, default=False)
    labour_sectors = models.JSONField(_("sectors of labour"), default=list, blank=True)
    sexual_types = models.JSONField(_("types of sexual exploitation"), default=list, blank=True)
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    recruiter_relation = models.CharField(_("recruiter relation"), max_length=20,
                                          choices=RecruiterRelation.choices,
                                          default=RecruiterRelation.UNKNOWN)
    is_abduction = models.BooleanField(_("abduction"), default=False)
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    country_of_recruitment = models.CharField(_("country of recruitment"), max_length=2, blank=True)
    countries_of_transit = models.JSONField(_("countries of transit"), default=list, blank=True)
    country_of_exploitation = models.CharField(_("country of exploitation"), max_length=2, blank=True)
    municipality_of_exploitation = models.CharField(_("municipality of exploitation"),
                                                    max_length=100, blank=True)
    period_start = models.DateField(_("exploitation began"), null=True, blank=True)
    period_end = models.DateField(_("exploitation ended"), null=True, blank=True)
    age_band = models.CharField(_("age at exploitation"), max_length=8, choices=AgeBand.choices,
                                blank=True)
    is_minor = models.BooleanField(_("minor at exploitation"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    @property
    def forms(self) -> list[str]:
        return [code for code, field in FORM_FIELDS.items() if getattr(self, field)]

    @forms.setter
    def forms(self, codes):
        for code, field in FORM_FIELDS.items():
            setattr(self, field, code in codes)

    @property
    def form_labels(self) -> list[str]:
        return [ExploitationForm(code).label for code in self.forms]

    @property
    def labour_sector_labels(self) -> list[str]:
        return _labels(LabourSector, self.labour_sectors)

    @property
    def sexual_type_labels(self) -> list[str]:
        return _labels(SexualExploitationType, self.sexual_types)

    @property
    def means_of_control_labels(self) -> list[str]:
        return _labels(MeansOfControl, self.means_of_control)


def _labels(vocabulary, codes) -> list[str]:
    """Labels of stored codes in the vocabulary's order (a code no longer listed as it is)."""
    labels = dict(vocabulary.choices)
    return [labels.get(code, code) for code in codes]

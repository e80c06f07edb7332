"""The monitor's tables: the obligation catalogue (with the history of its corrections), review
cycles of a jurisdiction with one assessment per obligation, the consultation's comments and
answers, and recommendations followed from cycle to cycle."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import AgencyKind
from crossroads.access.models import Agency, Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.registry.choices import Sex
from crossroads.versions import version_field

from .choices import (
    DEFAULT_CURRENCY,
    AgreementKind,
    AgreementScope,
    AgreementStatus,
    Confidence,
    CycleStatus,
    FundingSource,
    Implementation,
    Pillar,
    Profession,
    PublicationStatus,
    RecipientKind,
    Status,
    TrainingTopic,
    Uptake,
    Verification,
)

USER = settings.AUTH_USER_MODEL


class Obligation(models.Model):
    """One state obligation of an instrument (node-wide reference data, no identities)."""

    key = models.SlugField(_("identifier"), max_length=60, unique=True)
    instrument = models.CharField(_("instrument"), max_length=120)
    article = models.CharField(_("article"), max_length=40)
    paragraph = models.CharField(_("paragraph"), max_length=80, blank=True)
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    obligation = models.TextField(_("obligation"))
    question = models.TextField(_("check"))  # the yes/no check (`check` is taken by Django)
    note = models.TextField(_("note"), blank=True)
    verification = models.CharField(_("verification"), max_length=12,
                                    choices=Verification.choices)
    verified_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_source = models.CharField(_("official text consulted"), max_length=500, blank=True)
    # where the entry came from: the shipped catalogue's file and its digest at load time
    loaded_from = models.CharField(max_length=200, blank=True)
    corrected = models.BooleanField(default=False)  # a coordinator changed it: loads keep it
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "id"]

    def __str__(self):
        return self.key

    @property
    def citation(self) -> str:
        return f"Art. {self.article}{self.paragraph}"


class ObligationRevision(models.Model):
    """One change of a catalogue entry: the fields before and after, by whom, why."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # null: the loader
    changed_at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    reason = models.CharField(max_length=500)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]


class ReviewCycle(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=CycleStatus.choices,
                              default=CycleStatus.DRAFT)
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("previous cycle"))
    comments_until = models.DateField(_("comments until"), null=True, blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction", "-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"],
                                               name="monitor_one_cycle_per_year")]

    def __str__(self):
        return f"{self.jurisdiction_id} {self.year}: {self.title}"

    def open_for_comments(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == CycleStatus.CONSULTATION and (
            self.comments_until is None or today <= self.comments_until)


class Assessment(models.Model):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="assessments")
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.UNKNOWN)
    law = models.CharField(_("national law"), max_length=300, blank=True)
    law_article = models.CharField(_("article of the law"), max_length=60, blank=True)
    in_force_on = models.DateField(_("in force since"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices,
                                  default=Confidence.LOW)
    assessor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    assessed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["obligation__instrument", "obligation_id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "obligation"],
                                               name="monitor_one_assessment_per_obligation")]


class Comment(models.Model):
    """A comment of an agency (NGO, police, shelter...) on an assessment during the
    consultation, and the coordinator's answer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    written_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    uptake = models.CharField(_("taken up"), max_length=14, choices=Uptake.choices, blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["written_at", "id"]


class Recommendation(models.Model):
    """A GRETA-style recommendation of a jurisdiction, issued in a cycle and followed up in
    every later one (`FollowUp`)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    issued_in = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="+")
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    text = models.TextField(_("recommendation"))
    addressee = models.CharField(_("addressee"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["issued_in__year", "id"]


class FollowUp(models.Model):
    """A recommendation's implementation status as seen in one cycle."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE,
                                       related_name="follow_ups")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField(_("implementation"), max_length=12, choices=Implementation.choices,
                              default=Implementation.NOT_STARTED)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation_id"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "cycle"],
                                               name="monitor_one_follow_up_per_cycle")]


class TrainingSession(models.Model):
    """A training session of a jurisdiction's officials; who attended is kept as counts by
    agency kind, profession and sex (no names)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=TrainingTopic.choices)
    organiser = models.CharField(_("organiser"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]


class Attendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE,
                                related_name="attendance")
    agency_kind = models.CharField(_("agency"), max_length=20, choices=AgencyKind.choices)
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    count = models.PositiveIntegerField(_("participants"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "agency_kind", "profession",
                                                       "sex"], name="monitor_one_count_per_group")]


class ScorecardPublication(models.Model):
    """A closed cycle's scorecard asked to be published to the hub by one coordinator, sent
    when a second coordinator approves it. `payload` holds aggregate counts only (per pillar
    and instrument, by status): no comment, provision or assessor."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField()
    status = models.CharField(_("status"), max_length=10, choices=PublicationStatus.choices,
                              default=PublicationStatus.PENDING)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]


HAD_FORCE = (AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED)


class AgreementQuerySet(RestrictedQuerySet):
    def in_force(self, on=None):
        """Agreements in force on the date (today): in force or expired since (never a draft,
        a signature only or a terminated one), the date of entry into force has come and the
        expiry date (if any) has not passed."""
        on = on or timezone.localdate()
        return self.filter(status__in=HAD_FORCE, in_force_on__lte=on).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=on))

    def between(self, *countries: str):
        """Agreements whose parties include every one of the countries."""
        found = self
        for country in countries:
            found = found.filter(pk__in=AgreementParty.objects.filter(country=country)
                                 .values("agreement_id"))
        return found


class Agreement(models.Model):
    """A memorandum of understanding or a bilateral or regional agreement, recorded by the
    coordinator of a jurisdiction (one of its parties)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=AgreementKind.choices)
    scope = models.JSONField(_("scope"), default=list)
    scope_other = models.CharField(_("other scope"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = version_field()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-in_force_on", "-signed_on", "-id"]

    def __str__(self):
        return self.title

    def is_in_force(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (self.status in HAD_FORCE and self.in_force_on is not None
                and self.in_force_on <= on and (self.expires_on is None or self.expires_on >= on))

    @property
    def citation(self) -> str:
        """How a formal request names the agreement it rests on."""
        parties = ", ".join(p.label for p in self.parties.all())
        since = f", in force since {self.in_force_on.isoformat()}" if self.in_force_on else ""
        return f"{self.title} ({parties}{since})"

    def scope_labels(self) -> list[str]:
        labels = dict(AgreementScope.choices)
        return [str(labels.get(code, code)) for code in self.scope]


class AgreementParty(models.Model):
    """A party: a country (jurisdiction), and the agency that signed for it, if one did."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    country = models.CharField(_("country"), max_length=2)
    agency = models.CharField(_("agency"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    @property
    def label(self) -> str:
        return f"{self.country} – {self.agency}" if self.agency else self.country


class AgreementDocument(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document"), max_length=300)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]


class FundingLine(models.Model):
    """One year's allocation from a source (national budget, EU IPA, a named donor) to a
    shelter, an NGO or a programme: what was needed, allocated and spent, in one currency."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=16, choices=FundingSource.choices)
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    recipient_kind = models.CharField(_("recipient"), max_length=10, choices=RecipientKind.choices)
    shelter = models.ForeignKey("assistance.Shelter", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("shelter"))
    recipient = models.CharField(_("recipient's name"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    needed = models.DecimalField(_("needed"), max_digits=14, decimal_places=2, null=True,
                                 blank=True)
    allocated = models.DecimalField(_("allocated"), max_digits=14, decimal_places=2)
    spent = models.DecimalField(_("spent"), max_digits=14, decimal_places=2, default=0)
    evidence = models.CharField(_("source document"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    version = version_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "source", "id"]

    def __str__(self):
        return f"{self.year} {self.source_name} → {self.recipient_name}"

    @property
    def source_name(self) -> str:
        label = str(FundingSource(self.source).label)
        return f"{label}: {self.donor}" if self.donor else label

    @property
    def recipient_name(self) -> str:
        return self.shelter.name if self.shelter_id else self.recipient

    @property
    def unspent(self):
        """Allocated − spent."""
        return self.allocated - self.spent

    @property
    def unfunded(self):
        """Needed − allocated, where a need is recorded."""
        return None if self.needed is None else self.needed - self.allocated

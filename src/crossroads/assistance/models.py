"""Victim assistance: the referral mechanism's file of one victim in one case, screenings,
identification decisions, contact notes, protection timers, consents, referrals, services, milestones,
shelters and stays. Free text that staff type (notes, reasons, outcomes) is encrypted at rest,
bound to its row (it may hold identities)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from crossroads.access.models import Agency, Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.jobs.models import Job
from crossroads.keys.fields import EncryptedTextField, row_key_field
from crossroads.versions import version_field

from . import choices as v

USER = settings.AUTH_USER_MODEL


class ProtectionConfig(models.Model):
    """A jurisdiction's protection timers (configurable defaults, not law)."""

    jurisdiction = models.OneToOneField(Jurisdiction, on_delete=models.PROTECT, primary_key=True,
                                        related_name="+")
    reflection_days = models.PositiveSmallIntegerField(default=v.DEFAULT_REFLECTION_DAYS)
    residence_permit_days = models.PositiveSmallIntegerField(
        default=v.DEFAULT_RESIDENCE_PERMIT_DAYS)
    guardian_days = models.PositiveSmallIntegerField(default=v.DEFAULT_GUARDIAN_DAYS)
    updated_at = models.DateTimeField(default=timezone.now)

    def days_for(self, kind: str) -> int:
        return {v.TimerKind.REFLECTION: self.reflection_days,
                v.TimerKind.RESIDENCE_PERMIT: self.residence_permit_days,
                v.TimerKind.GUARDIAN: self.guardian_days}[kind]


class VictimFile(models.Model):
    """The referral mechanism's file of one (potential) victim in one case."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="victim_files")
    case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="victim_files")
    status = models.CharField(max_length=16,
                              choices=v.IdentificationStatus.choices,
                              default=v.IdentificationStatus.POTENTIAL, db_index=True)
    # CETS 197 Art. 10(3): presumed a child when the age is uncertain and there are reasons to
    # believe the person is a child.
    presumed_child = models.BooleanField(default=False)
    unaccompanied = models.BooleanField(default=False)
    foreign = models.BooleanField(default=False)
    opened_at = models.DateTimeField(default=timezone.now)
    identified_on = models.DateField(null=True, blank=True)
    exited_on = models.DateField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "case"], name="victim_file_unique")]

    def __str__(self):
        return f"{self.case_id}/{self.person_id}"


class Screening(models.Model):
    file = models.ForeignKey(VictimFile, on_delete=models.CASCADE, related_name="screenings")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)
    child_form = models.BooleanField(default=False)
    indicators = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField()
    threshold = models.PositiveSmallIntegerField()
    suggests_presumed = models.BooleanField()
    notes = EncryptedTextField(blank=True)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_at", "-id"]


class StatusDecision(models.Model):
    """One step of the identification history: who decided, for which agency, why."""

    file = models.ForeignKey(VictimFile, on_delete=models.CASCADE, related_name="decisions")
    from_status = models.CharField(max_length=16, choices=v.IdentificationStatus.choices,
                                   blank=True)
    to_status = models.CharField(max_length=16, choices=v.IdentificationStatus.choices)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(max_length=500)
    screening = models.ForeignKey(Screening, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "id"]


def due_soon_until(today: datetime.date) -> datetime.date:
    """The last due date that shows as "due soon" on `today` (DUE_SOON_DAYS ahead)."""
    return today + datetime.timedelta(days=v.DUE_SOON_DAYS)


class ProtectionTimerQuerySet(RestrictedQuerySet):
    """The timers' states as filters; `ProtectionTimer.state_on` is the same rule per row."""

    def running(self):
        return self.filter(completed_on__isnull=True)

    def overdue(self, today: datetime.date):
        return self.running().filter(due_on__lt=today)

    def needing_attention(self, today: datetime.date):
        """Due soon (within DUE_SOON_DAYS) or overdue: the home page's and reminders' timers."""
        return self.running().filter(due_on__lte=due_soon_until(today))


class ProtectionTimer(models.Model):
    file = models.ForeignKey(VictimFile, on_delete=models.CASCADE, related_name="timers")
    kind = models.CharField(max_length=20, choices=v.TimerKind.choices)
    starts_on = models.DateField()
    due_on = models.DateField(db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    outcome = EncryptedTextField(max_length=500, blank=True)
    row_key = row_key_field()

    objects = ProtectionTimerQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "kind"], name="timer_unique_kind")]

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def state_on(self, today) -> str:
        if self.completed_on:
            return "completed"
        if self.due_on < today:
            return "overdue"
        if self.due_on <= due_soon_until(today):
            return "due"
        return "running"


class ResidencePermit(models.Model):
    """An application for a residence permit of a foreign victim and the decision on it
    (CETS 197 Art. 14), with the dates of each step; a renewal is a new application that names
    the permit it renews. Deciding it completes the file's residence-permit timer."""

    file = models.ForeignKey(VictimFile, on_delete=models.CASCADE, related_name="permits")
    ground = models.CharField(max_length=20, choices=v.PermitGround.choices)
    applied_on = models.DateField()
    decision = models.CharField(max_length=8, choices=v.PermitDecision.choices,
                                default=v.PermitDecision.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    renewal_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="renewals")
    note = EncryptedTextField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = version_field()
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["applied_on", "id"]


class BestInterestsAssessment(models.Model):
    """A best-interests assessment of a child victim (CETS 197 Art. 10(4), 16(7); UNHCR/UNICEF
    guidelines 2021): who assessed, whether a guardian was appointed and the child's views
    heard, the return-risk assessment and the measures recommended. Beyond the consent
    override, which only lets a referral go without consent."""

    file = models.ForeignKey(VictimFile, on_delete=models.CASCADE,
                             related_name="best_interests")
    assessed_on = models.DateField()
    assessor = EncryptedTextField(max_length=200)  # name and profession, may be outside
    guardian_appointed = models.BooleanField(default=False)
    guardian_appointed_on = models.DateField(null=True, blank=True)
    child_heard = models.BooleanField(default=False)
    child_views = EncryptedTextField(max_length=2000, blank=True)
    return_risk = models.CharField(max_length=12, choices=v.ReturnRisk.choices,
                                   default=v.ReturnRisk.NOT_ASSESSED)
    measures = models.JSONField(default=list)  # ChildMeasure codes
    outcome = EncryptedTextField(max_length=2000)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = version_field()
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "id"]

    @property
    def measure_labels(self) -> list[str]:
        return [str(v.ChildMeasure(code).label) for code in self.measures]


class Reminder(models.Model):
    """Recorded by the reminder task: one per timer and state (due, overdue)."""

    timer = models.ForeignKey(ProtectionTimer, on_delete=models.CASCADE, related_name="reminders")
    state = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["timer", "state"], name="reminder_once")]


class ReminderRun(models.Model):
    """One pass of the reminder task and how many reminders it recorded; its `job` (run by
    `crossroads tasks work`) holds its state."""

    job = models.OneToOneField(Job, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="reminder_run")
    created_at = models.DateTimeField(default=timezone.now)
    reminders = models.PositiveIntegerField(default=0)


class Consent(models.Model):
    """Append-only: the latest row per person and purpose is the person's current answer;
    a withdrawal is a new row with `granted` false."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=16, choices=v.ConsentPurpose.choices)
    granted = models.BooleanField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(max_length=300, blank=True)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["person", "purpose", "-id"])]


class ConsentOverride(models.Model):
    """Sharing without consent in a child's best interest (CETS 197 Art. 10(4), Art. 11);
    always with a reason, always audited."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=16, choices=v.ConsentPurpose.choices)
    reason = EncryptedTextField(max_length=500)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]


class Referral(models.Model):
    """HTCDS cas_ReferringOrganisation → cas_ReferredOrganisation, with its reason."""

    case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="referrals")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_sent")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT,
                                  related_name="referrals_received")
    purpose = models.CharField(max_length=20)
    reason = models.CharField(max_length=32,
                              choices=v.ReferralReason.choices,
                              default=v.ReferralReason.ADDITIONAL_SERVICES)
    note = EncryptedTextField(blank=True)
    transfer = models.BooleanField(default=False)
    urgency = models.CharField(max_length=10, choices=v.ReferralUrgency.choices,
                               default=v.ReferralUrgency.ROUTINE)
    status = models.CharField(max_length=10, choices=v.ReferralStatus.choices,
                              default=v.ReferralStatus.PENDING, db_index=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(max_length=500, blank=True)
    row_key = row_key_field()
    # Whether accepting this referral added the receiving agency to the case (and so whether
    # ending it takes that access away again).
    granted_access = models.BooleanField(default=False)
    overrides = models.ManyToManyField(ConsentOverride, blank=True, related_name="referrals")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def purpose_label(self) -> str:
        return str(v.REFERRAL_PURPOSES.get(self.purpose, self.purpose))


class Service(models.Model):
    """One service of a victim's assistance plan."""

    file = models.ForeignKey(VictimFile, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(max_length=16, choices=v.ServiceKind.choices)
    status = models.CharField(max_length=10, choices=v.ServiceStatus.choices,
                              default=v.ServiceStatus.PLANNED)
    planned_on = models.DateField(default=timezone.localdate)
    delivered_on = models.DateField(null=True, blank=True)
    refused_on = models.DateField(null=True, blank=True)
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    note = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = version_field()
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["planned_on", "id"]


class ContactNote(models.Model):
    """A dated note of a contact with the person of a file (in person, by phone, an outreach
    visit...): it only adds to the file, it changes nothing of it."""

    file = models.ForeignKey(VictimFile, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField()
    mode = models.CharField(max_length=10, choices=v.ContactMode.choices)
    narrative = EncryptedTextField(max_length=5000)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["contacted_on", "id"]


class Milestone(models.Model):
    file = models.ForeignKey(VictimFile, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=12, choices=v.MilestoneKind.choices)
    reached_on = models.DateField()
    note = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["reached_on", "id"]


class Shelter(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shelters")
    name = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField()
    accepts_children = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    version = version_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ShelterStayQuerySet(RestrictedQuerySet):
    def current(self):
        """Stays not discharged: the person is in the shelter now."""
        return self.filter(discharged_on__isnull=True)

    def staying_on(self, on: datetime.date):
        """Stays that hold a place on the date (admitted by then, not discharged before)."""
        return self.filter(models.Q(admitted_on__lte=on) & (
            models.Q(discharged_on__isnull=True) | models.Q(discharged_on__gt=on)))


class ShelterStay(models.Model):
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="stays")
    file = models.ForeignKey(VictimFile, on_delete=models.PROTECT, related_name="stays")
    admitted_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    admitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    discharged_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")

    objects = ShelterStayQuerySet.as_manager()

    class Meta:
        ordering = ["-admitted_on", "-id"]


class RetraffickingFlag(models.Model):
    """A person already assisted (or a probable duplicate of one) appears in a new case."""

    file_case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    earlier_file = models.ForeignKey(VictimFile, on_delete=models.CASCADE, related_name="+")
    via = models.CharField(max_length=12)  # same_person, merged, candidate
    probability = models.FloatField(null=True, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["file_case", "person", "earlier_file"],
                                               name="retrafficking_flag_once")]

"""Vocabularies of the monitor: pillars, how an obligation's article was verified, assessment
statuses and confidence, the life of a review cycle, how a comment was taken up, and the
implementation states of a recommendation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection")
    PROSECUTION = "prosecution", _("Prosecution")
    PARTNERSHIP = "partnership", _("Partnership")


class Verification(models.TextChoices):
    """How far an entry's article and content were confirmed (the reference file's three
    values, and `official`: a coordinator checked it against the official text)."""

    OFFICIAL = "official", _("Verified against the official text")
    TEXT = "text", _("Wording seen in a copy")
    SECONDARY = "secondary", _("Confirmed by a secondary source")
    NOT_VERIFIED = "not-verified", _("Not verified")


class Status(models.TextChoices):
    ALIGNED = "aligned", _("Aligned")
    PARTLY = "partly", _("Partly aligned")
    NOT_ALIGNED = "not_aligned", _("Not aligned")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    UNKNOWN = "unknown", _("Unknown")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Open for comments")
    CLOSED = "closed", _("Closed")


CYCLE_TRANSITIONS = {
    CycleStatus.DRAFT: {CycleStatus.CONSULTATION, CycleStatus.CLOSED},
    CycleStatus.CONSULTATION: {CycleStatus.CLOSED},
    CycleStatus.CLOSED: set(),
}


class Uptake(models.TextChoices):
    TAKEN_UP = "taken_up", _("Taken up")
    PARTLY = "partly", _("Partly taken up")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


class Implementation(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTLY = "partly", _("Partly implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    DROPPED = "dropped", _("No longer relevant")


# Recommendations in these states are carried into the next cycle.
OPEN_IMPLEMENTATION = {Implementation.NOT_STARTED, Implementation.IN_PROGRESS,
                       Implementation.PARTLY}

# The fields of a catalogue entry a coordinator may correct (their history is kept).
OBLIGATION_FIELDS = ("instrument", "article", "paragraph", "pillar", "obligation", "question",
                     "note")
# the reference file's names for the fields that Django names differently
FILE_NAMES = {"question": "check"}


class TrainingTopic(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification of victims")
    NETWORKS = "networks", _("Investigation of networks")
    PROSECUTION = "prosecution", _("Prosecution")
    VICTIM_CARE = "victim_care", _("Victim care")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    ANTI_CORRUPTION = "anti_corruption", _("Anti-corruption")


class Profession(models.TextChoices):
    POLICE = "police", _("Police officer")
    BORDER = "border", _("Border police officer")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    JUDGE = "judge", _("Judge")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    LABOUR_INSPECTOR = "labour_inspector", _("Labour inspector")
    NGO_STAFF = "ngo_staff", _("NGO staff")
    OTHER = "other", _("Other")


class Instrument(models.TextChoices):
    """The three instruments of the catalogue, by a short key (scorecards, the hub's heat map)."""

    PALERMO = "palermo", _("Palermo Protocol")
    CETS197 = "cets197", _("CETS No. 197")
    EU_DIRECTIVE = "eu_directive", _("EU Directive 2011/36/EU")


# How the catalogue's instrument names start, for each key.
INSTRUMENT_PREFIXES = {Instrument.PALERMO: "Palermo", Instrument.CETS197: "Council of Europe",
                       Instrument.EU_DIRECTIVE: "EU Directive"}


def instrument_key(name: str) -> str | None:
    """The key of a catalogue instrument name (None for an instrument outside the three)."""
    for key, prefix in INSTRUMENT_PREFIXES.items():
        if (name or "").startswith(prefix):
            return key.value
    return None


class PublicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second coordinator")
    APPROVED = "approved", _("Approved and sent to the hub")
    REJECTED = "rejected", _("Rejected")

class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    BILATERAL = "bilateral", _("Bilateral agreement")
    REGIONAL = "regional", _("Regional agreement")


class AgreementScope(models.TextChoices):
    JOINT_INVESTIGATIONS = "joint_investigations", _("Joint investigations")
    DATA_EXCHANGE = "data_exchange", _("Data exchange")
    VICTIM_RETURN = "victim_return", _("Victim return")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# The date each status needs (a signed agreement has its signature date, and so on).
STATUS_NEEDS = {
    AgreementStatus.SIGNED: ("signed_on",),
    AgreementStatus.IN_FORCE: ("signed_on", "in_force_on"),
    AgreementStatus.EXPIRED: ("in_force_on", "expires_on"),
}


class FundingSource(models.TextChoices):
    NATIONAL_BUDGET = "national_budget", _("National budget")
    EU_IPA = "eu_ipa", _("EU IPA")
    DONOR = "donor", _("Donor")


class RecipientKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    NGO = "ngo", _("NGO")
    PROGRAMME = "programme", _("Programme")


DEFAULT_CURRENCY = "EUR"

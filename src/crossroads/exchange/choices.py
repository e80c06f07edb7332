"""Vocabularies of the exchange: request states, reliability grades, the fields one may ask."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossroads.registry.choices import RESTRICTED_HANDLING, HandlingCode

# The handling codes that may travel between nodes: every code but the restricted ones, which
# never leave the node (`registry.choices.RESTRICTED_HANDLING`, the one definition): such a
# person is not encoded, a request is not answered, an envelope is not built nor accepted.
SHAREABLE_HANDLING = tuple(code for code in HandlingCode.values if code not in RESTRICTED_HANDLING)


class Direction(models.TextChoices):
    OUT = "out", _("Sent")
    IN = "in", _("Received")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    PARTLY = "partly", _("Partly approved")
    REFUSED = "refused", _("Refused")


DECIDED = {RequestStatus.APPROVED, RequestStatus.PARTLY, RequestStatus.REFUSED}


class SourceReliability(models.TextChoices):
    """The 4x4 grading used by Europol and SIENA for the source…"""

    A = "A", _("A – no doubt about the source's reliability")
    B = "B", _("B – source usually reliable")
    C = "C", _("C – source not usually reliable")
    X = "X", _("X – reliability of the source cannot be judged")


class InformationReliability(models.TextChoices):
    """…and for the information itself."""

    ONE = "1", _("1 – known to be true without reservation")
    TWO = "2", _("2 – known personally to the source")
    THREE = "3", _("3 – not known personally to the source, corroborated")
    FOUR = "4", _("4 – cannot be judged")


class Field(models.TextChoices):
    """What a request may ask about a person."""

    GIVEN_NAMES = "given_names", _("Given name(s)")
    FAMILY_NAME = "family_name", _("Family name")
    FATHER_NAME = "father_name", _("Father's name")
    SEX = "sex", _("Sex")
    BIRTH_DATE = "birth_date", _("Date of birth")
    PLACE_OF_BIRTH = "place_of_birth", _("Place of birth")
    CITIZENSHIPS = "citizenships", _("Citizenships")
    DOCUMENTS = "documents", _("Identity documents")
    ALIASES = "aliases", _("Aliases")
    ROLES = "roles", _("Roles in cases")


class SelectorField(models.TextChoices):
    """What a request citing a selector hit may ask about the entities that hold the selector
    on the owner's node (its eligible holders: `eligibility.shareable_entities`)."""

    ENTITY_SCHEMA = "entity_schema", _("Kind of entity (person, company, vehicle, account…)")
    ENTITY_NAME = "entity_name", _("Name of the entity")
    ENTITY_PROPERTIES = "entity_properties", _("What is recorded about the entity (FtM properties)")


# Every field a request may name, with its label (persons' and selectors' codes are distinct).
FIELD_LABELS = dict(Field.choices) | dict(SelectorField.choices)


# What the receiving node may do with an answer, by its (shareable) handling code.
ONWARD_SHARING = {"H0": True, "H1": True, "H2": False}
COURT_USE = {"H0": True, "H1": False, "H2": True}


class WitnessAlertKind(models.TextChoices):
    """What the hub, witness of a node's audit chain, saw wrong in its heads."""

    GO_BACK = "go_back", _("The audit head went back")
    FORK = "fork", _("The audit history was rewritten behind the witness")
    SILENT = "silent", _("No audit head for too long")

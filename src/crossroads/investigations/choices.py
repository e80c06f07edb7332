"""Vocabularies of investigations: what happens to a case team, the states of a handling-code
change, and which accounts may take which part in a team."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import Role
from crossroads.registry.choices import HandlingCode, TeamRole


class TeamChangeKind(models.TextChoices):
    ADDED = "added", _("Added to the team")
    ROLE_CHANGED = "role_changed", _("Team role changed")
    REMOVED = "removed", _("Removed from the team")
    LEAD_HANDED_OVER = "lead_handed_over", _("Lead handed over")
    OWNERSHIP_TRANSFERRED = "ownership_transferred", _("Ownership transferred")


class HandlingChangeStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")        # a raise: in force at once
    PENDING = "pending", _("Pending")        # a lowering: waits for a second person
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class EventKind(models.TextChoices):
    """Entries of a case log: investigative and protective events."""

    INTERVIEW = "interview", _("Interview")
    STATEMENT = "statement", _("Statement")
    SEARCH = "search", _("Search")
    ARREST = "arrest", _("Arrest")
    SEIZURE = "seizure", _("Seizure")
    MEDICAL_EXAMINATION = "medical_examination", _("Medical examination")
    JOINT_OPERATION = "joint_operation", _("Joint operation")
    OTHER = "other", _("Other event")


class OffenceCategory(models.TextChoices):
    """What an offence of the catalogue is, across the region's criminal codes."""

    TRAFFICKING_PERSONS = "trafficking_persons", _("Trafficking in persons")
    TRAFFICKING_CHILDREN = "trafficking_children", _("Trafficking in children")
    EXPLOITATION_PROSTITUTION = "exploitation_prostitution", _("Exploitation of prostitution")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    SMUGGLING_MIGRANTS = "smuggling_migrants", _("Smuggling of migrants")
    ORGANISED_CRIME = "organised_crime", _("Organised-crime membership")
    OTHER = "other", _("Other offence")


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    INDICTMENT = "indictment", _("Indictment")
    VERDICT = "verdict", _("First-instance verdict")
    SENTENCE = "sentence", _("Sentence")
    APPEAL = "appeal", _("Appeal")
    FINAL = "final", _("Final")


class Verdict(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISMISSED = "dismissed", _("Dismissed")


# The stage machine of a proceeding: an investigation may end (final, dismissed) without an
# indictment; a verdict may be appealed or become final; a sentence follows a conviction only;
# an appeal ends in a new verdict or a final decision.
STAGE_TRANSITIONS = {
    Stage.INVESTIGATION: {Stage.INDICTMENT, Stage.FINAL},
    Stage.INDICTMENT: {Stage.VERDICT},
    Stage.VERDICT: {Stage.SENTENCE, Stage.APPEAL, Stage.FINAL},
    Stage.SENTENCE: {Stage.APPEAL, Stage.FINAL},
    Stage.APPEAL: {Stage.VERDICT, Stage.FINAL},
    Stage.FINAL: set(),
}
# The date field each stage sets when it is reached.
STAGE_DATES = {Stage.INVESTIGATION: "investigation_opened_on", Stage.INDICTMENT: "indicted_on",
               Stage.VERDICT: "verdict_on", Stage.SENTENCE: "sentenced_on",
               Stage.APPEAL: "appealed_on", Stage.FINAL: "final_on"}

# Evidence files: the types a file may be, recognised by its first bytes (never by the name or
# the type a client claims), with the extensions its name may have.
EVIDENCE_TYPES = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "text/plain": (None, (".txt",)),  # UTF-8 text without control characters but line breaks
}
# Roles that keep and read a case log (case workers and coordinators never do).
LOG_ROLES = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR, Role.FOCAL_POINT})
LOG_WRITERS = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR})

# The accounts that may take each part in a team (the lead also belongs to the owner agency).
CASE_EDITOR_ROLES = frozenset({Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR})
TEAM_ROLE_ACCOUNTS = {
    TeamRole.LEAD: CASE_EDITOR_ROLES,
    TeamRole.INVESTIGATOR: frozenset({Role.INVESTIGATOR, Role.FOCAL_POINT}),
    TeamRole.PROSECUTOR: frozenset({Role.PROSECUTOR}),
    TeamRole.NGO_CONTACT: frozenset({Role.CASE_WORKER}),
}
# The part a former lead keeps on the team, by their account's role.
ACCOUNT_TEAM_ROLE = {Role.INVESTIGATOR: TeamRole.INVESTIGATOR, Role.FOCAL_POINT: TeamRole.INVESTIGATOR,
                     Role.PROSECUTOR: TeamRole.PROSECUTOR, Role.CASE_WORKER: TeamRole.NGO_CONTACT}


def restrictiveness(code: str) -> int:
    """H0 < H1 < H2 < H3: a higher code shares the case less."""
    return HandlingCode.values.index(code)


class TraffickingScope(models.TextChoices):
    """Derived from the victim's citizenship and the countries of recruitment, transit and
    exploitation (`markers.scope`)."""

    INTERNAL = "internal", _("Internal trafficking")
    CROSS_BORDER = "cross_border", _("Cross-border trafficking")
    UNKNOWN = "unknown", _("Not known")

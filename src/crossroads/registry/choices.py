"""Controlled vocabularies of the registry.

Exploitation vocabularies follow the CTDC global dataset codebook (forms, types of labour and
of sexual exploitation, means of control, recruiter relation, age bands); the forms of
exploitation are extended with those CETS 197 and the EU directive name on their own (forced
begging, forced criminality, forced marriage, illegal adoption, exploitation of surrogacy).
Each code maps to its CTDC column in `crossroads.registry.ctdc_mapping` of later issues.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    UNKNOWN = "U", _("Unknown")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")
    AGE = "age", _("Estimated age")


class DocumentType(models.TextChoices):
    JMBG = "jmbg", _("Unique master citizen number (JMBG/EMBG)")
    AL_PERSONAL_NUMBER = "al_personal_number", _("Albanian personal number")
    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("Identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    OTHER = "other", _("Other document")


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    ADDRESS = "address", _("Address")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATION = "investigation", _("Under investigation")
    # A stage of the case, not the agency kind "Prosecution" (the office): told apart for translators.
    PROSECUTION = "prosecution", pgettext_lazy("case status", "Prosecution")
    TRIAL = "trial", _("At trial")
    CLOSED = "closed", _("Closed")


class TrialOutcome(models.TextChoices):
    """What the court decided, recorded when a case closes from trial (the funnel's last stage)."""

    CONVICTION = "conviction", _("Conviction")
    ACQUITTAL = "acquittal", _("Acquittal")
    DISMISSAL = "dismissal", _("Dismissed or withdrawn")


# Allowed status changes; a closed case can be reopened.
STATUS_TRANSITIONS = {
    CaseStatus.OPEN: {CaseStatus.INVESTIGATION, CaseStatus.CLOSED},
    CaseStatus.INVESTIGATION: {CaseStatus.PROSECUTION, CaseStatus.CLOSED},
    CaseStatus.PROSECUTION: {CaseStatus.TRIAL, CaseStatus.CLOSED},
    CaseStatus.TRIAL: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.OPEN},
}


class HandlingCode(models.TextChoices):
    H0 = "H0", _("H0 – for use by law enforcement and the referral mechanism")
    H1 = "H1", _("H1 – not for use in court without the owner's permission")
    H2 = "H2", _("H2 – no onward sharing without the owner's permission")
    H3 = "H3", _("H3 – restricted to the case team")


# Handling codes that keep a case with its team: no role, break-glass grant, encoding, release
# or cross-border answer reaches anyone else (the one definition of "H3 never leaves").
RESTRICTED_HANDLING = frozenset({HandlingCode.H3})


class InvolvementRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
    SUSPECT = "suspect", _("Suspect")
    WITNESS = "witness", _("Witness")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other")


class TeamRole(models.TextChoices):
    """A member's part in a case team (the lead is of the owner agency and manages the team)."""

    LEAD = "lead", _("Lead")
    INVESTIGATOR = "investigator", pgettext_lazy("team role", "Investigator")
    PROSECUTOR = "prosecutor", pgettext_lazy("team role", "Prosecutor")
    NGO_CONTACT = "ngo_contact", _("NGO contact")


VICTIM_ROLES = {InvolvementRole.VICTIM, InvolvementRole.PRESUMED_VICTIM}
SUSPECT_ROLES = {InvolvementRole.SUSPECT}


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")
    SURROGACY = "surrogacy", _("Exploitation of surrogacy")
    FORCED_MILITARY = "forced_military", _("Forced military service")
    SLAVERY = "slavery", _("Slavery and similar practices")
    OTHER = "other", _("Other exploitation")


class LabourSector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    AQUAFARMING = "aquafarming", _("Aquafarming")
    BEGGING = "begging", _("Begging")
    CONSTRUCTION = "construction", _("Construction")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    HOSPITALITY = "hospitality", _("Hospitality")
    ILLICIT_ACTIVITIES = "illicit_activities", _("Illicit activities")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    MINING = "mining", _("Mining or drilling")
    PEDDLING = "peddling", _("Peddling")
    TRANSPORTATION = "transportation", _("Transportation")
    OTHER = "other", _("Other sector")
    NOT_SPECIFIED = "not_specified", _("Sector not specified")


class SexualExploitationType(models.TextChoices):
    PROSTITUTION = "prostitution", _("Prostitution")
    PORNOGRAPHY = "pornography", _("Pornography")
    REMOTE = "remote_interactive", _("Remote interactive services")
    PRIVATE = "private_sexual_services", _("Private sexual services")


class MeansOfControl(models.TextChoices):
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    RESTRICTS_FINANCES = "restricts_financial_access", _("Restricts financial access")
    THREATS = "threats", _("Threats")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    FALSE_PROMISES = "false_promises", _("False promises")
    SUBSTANCES = "psychoactive_substances", _("Psychoactive substances")
    RESTRICTS_MOVEMENT = "restricts_movement", _("Restricts movement")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Restricts medical care")
    EXCESSIVE_HOURS = "excessive_working_hours", _("Excessive working hours")
    USES_CHILDREN = "uses_children", _("Uses children")
    THREAT_OF_LAW_ENFORCEMENT = "threat_of_law_enforcement", _("Threat of law enforcement")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds necessities")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds documents")
    OTHER = "other", _("Other means")
    NOT_SPECIFIED = "not_specified", _("Means not specified")


class RecruiterRelation(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner")
    FRIEND = "friend", _("Friend or acquaintance")
    FAMILY = "family", _("Family or relative")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not specified")


class AgeBand(models.TextChoices):
    """CTDC `ageBroad` bands (age at registration)."""

    A0_8 = "0--8", "0–8"
    A9_17 = "9--17", "9–17"
    A18_20 = "18--20", "18–20"
    A21_23 = "21--23", "21–23"
    A24_26 = "24--26", "24–26"
    A27_29 = "27--29", "27–29"
    A30_38 = "30--38", "30–38"
    A39_47 = "39--47", "39–47"
    A48 = "48+", "48+"


def age_band(age: int) -> str:
    """The CTDC band an age in whole years falls into."""
    for band in AgeBand:
        low, _sep, high = band.value.replace("+", "--999").partition("--")
        if int(low) <= age <= int(high):
            return band.value
    raise ValueError(f"age out of range: {age}")


def validate_codes(values, vocabulary, field: str) -> list[str]:
    """Return the list de-duplicated in vocabulary order, or raise naming the unknown code."""
    from django.core.exceptions import ValidationError

    allowed = vocabulary.values
    unknown = [v for v in values if v not in allowed]
    if unknown:
        listed = ", ".join(map(str, unknown))
        raise ValidationError({field: _("Unknown value(s): %(values)s") % {"values": listed}})
    return [v for v in allowed if v in set(values)]


class VulnerableGroup(models.TextChoices):
    """Groups the risk indicators speak of (special-category data: ethnic origin, health,
    migration status), recorded for a person only with a legal basis. Sources in
    `VULNERABLE_GROUP_SOURCES`."""

    ROMA_EGYPTIAN = "roma_egyptian", _("Roma and Egyptian communities")
    STREET_CHILDREN = "street_children", _("Children in street situations")
    DISABILITY = "disability", _("Persons with disabilities")
    MIGRANT = "migrant", _("Migrants and asylum seekers")
    OTHER = "other", _("Other vulnerable group")


VULNERABLE_GROUP_SOURCES = {
    VulnerableGroup.ROMA_EGYPTIAN: "Karaj & Xharo, Human Trafficking in the Western Balkans "
                                   "(women, children and Roma); OSCE, Trafficking in Human "
                                   "Beings amongst Roma and Egyptian communities in Albania",
    VulnerableGroup.STREET_CHILDREN: "UN Committee on the Rights of the Child, General Comment "
                                     "No. 21 (2017) on children in street situations",
    VulnerableGroup.DISABILITY: "UN Convention on the Rights of Persons with Disabilities, "
                                "Art. 1 and 16; GRETA's country reports",
    VulnerableGroup.MIGRANT: "CETS 197 Art. 5(2) and 10; UNODC Global Report on Trafficking "
                             "in Persons (migrants and refugees)",
    VulnerableGroup.OTHER: "CETS 197 Art. 5(2): persons vulnerable to trafficking",
}


class LegalBasis(models.TextChoices):
    """Why a special category may be processed (GDPR Art. 9(2), as transposed in the Western
    Balkans' data-protection laws; Council of Europe Convention 108+ Art. 6)."""

    EXPLICIT_CONSENT = "explicit_consent", _("Explicit consent of the person (Art. 9(2)(a))")
    SOCIAL_PROTECTION = "social_protection", _("Social protection law (Art. 9(2)(b))")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (Art. 9(2)(c))")
    LEGAL_CLAIMS = "legal_claims", _("Legal claims or proceedings (Art. 9(2)(f))")
    PUBLIC_INTEREST = "public_interest", _("Substantial public interest by law (Art. 9(2)(g))")

"""Vocabularies of victim assistance (the national referral mechanism), each with its source.

Sources:
- CETS 197: Council of Europe Convention on Action against Trafficking in Human Beings
  (Warsaw, 2005): Art. 10 (identification; presumption of childhood, guardian), Art. 12
  (assistance measures), Art. 13 (recovery and reflection period), Art. 14 (residence permit),
  Art. 16 (repatriation), Art. 11 (protection of private life: consent to sharing).
- HTCDS: IOM Human Trafficking Case Data Standard (repository UNMigration/HTCDS, file
  `HTCDS Field Reference.md`): `cas_Status`, `cas_ReasonForOutgoingReferral`,
  `cas_ReferringOrganisation` / `cas_ReferredOrganisation`, `cas_OutgoingReferralDate` /
  `cas_IncomingReferralDate`, `vic_AgreementToManagePersonalData`. HTCDS has no picklist for
  services, identification status or indicators; those come from the sources named at each.
- ILO: Operational indicators of trafficking in human beings (ILO and European Commission,
  Delphi survey, 2009), for adults and children, for labour and sexual exploitation, each
  rated strong, medium or weak.
- UNODC: Human trafficking indicators (UNODC, general, domestic servitude, sexual
  exploitation, labour exploitation, begging and petty crime, children).
- OSCE/ODIHR: National Referral Mechanisms, a practical handbook (2nd ed., 2022): status
  names of the identification process, referral between agencies, reintegration.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentificationStatus(models.TextChoices):
    """OSCE/ODIHR NRM handbook and CETS 197 Art. 10: a potential victim is screened; with
    reasonable grounds a presumed victim (entitled to assistance, Art. 10(2)); identified by a
    competent authority's decision; or not identified."""

    POTENTIAL = "potential", _("Potential victim")
    PRESUMED = "presumed", _("Presumed victim")
    IDENTIFIED = "identified", _("Identified victim")
    NOT_IDENTIFIED = "not_identified", _("Not identified")


# The state machine of identification. "Not identified" can be reopened when new facts appear;
# an identification can be withdrawn by a competent authority (a decision with its reason).
STATUS_TRANSITIONS = {
    IdentificationStatus.POTENTIAL: {IdentificationStatus.PRESUMED,
                                     IdentificationStatus.NOT_IDENTIFIED},
    IdentificationStatus.PRESUMED: {IdentificationStatus.IDENTIFIED,
                                    IdentificationStatus.NOT_IDENTIFIED},
    IdentificationStatus.IDENTIFIED: {IdentificationStatus.NOT_IDENTIFIED},
    IdentificationStatus.NOT_IDENTIFIED: {IdentificationStatus.PRESUMED},
}
# Only a competent authority decides "identified" or "not identified" (CETS 197 Art. 10(1));
# in the region these are the police, the social services and the national coordinator's office.
COMPETENT_AUTHORITY_KINDS = {"police", "social_services", "coordinator"}
AUTHORITY_DECISIONS = {IdentificationStatus.IDENTIFIED, IdentificationStatus.NOT_IDENTIFIED}


class IndicatorGroup(models.TextChoices):
    GENERAL = "general", _("General")
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    BEGGING_CRIME = "begging_crime", _("Forced begging and criminality")
    CHILD = "child", _("Children")


class Audience(models.TextChoices):
    ADULT = "adult", _("Adults")
    CHILD = "child", _("Children")
    ALL = "all", _("Adults and children")


STRONG, MEDIUM, WEAK = 3, 2, 1


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    audience: str
    weight: int  # ILO rating: strong 3, medium 2, weak 1
    label: str
    source: str


def _i(code, group, audience, weight, label, source):
    return Indicator(code, group, audience, weight, label, source)


# ILO 2009 ratings where the ILO set has the indicator; UNODC indicators (no rating) weighted
# medium unless they restate an ILO strong indicator.
INDICATORS = [
    _i("deceived_recruitment", "general", "all", STRONG,
       _("Deceived about the nature of the job, location or employer"), "ILO 2009"),
    _i("debt_bondage", "general", "all", STRONG, _("Debt bondage or manipulated debt"), "ILO 2009"),
    _i("documents_withheld", "general", "all", STRONG,
       _("Identity or travel documents confiscated"), "ILO 2009"),
    _i("restricted_movement", "general", "all", STRONG,
       _("Isolated, confined or under surveillance"), "ILO 2009"),
    _i("violence", "general", "all", STRONG, _("Violence or threats of violence"), "ILO 2009"),
    _i("threats_family", "general", "all", STRONG,
       _("Threats against the family"), "ILO 2009"),
    _i("no_pay", "general", "adult", MEDIUM, _("Wages withheld or no pay"), "ILO 2009"),
    _i("excessive_hours", "general", "adult", MEDIUM,
       _("Excessive working days or hours"), "ILO 2009"),
    _i("threat_authorities", "general", "all", MEDIUM,
       _("Threat of denunciation to the authorities"), "ILO 2009"),
    _i("irregular_status", "general", "adult", WEAK,
       _("Irregular migration status used against the person"), "UNODC"),
    _i("fearful_scripted", "general", "all", WEAK,
       _("Fearful, or tells a story that seems coached"), "UNODC"),
    _i("forced_sex_work", "sexual", "all", STRONG,
       _("Forced to provide sexual services"), "ILO 2009"),
    _i("earnings_taken", "sexual", "adult", STRONG,
       _("All or most earnings taken by another person"), "UNODC"),
    _i("moved_between_venues", "sexual", "all", MEDIUM,
       _("Moved between brothels, flats or cities"), "UNODC"),
    _i("no_refusal", "sexual", "adult", MEDIUM,
       _("Cannot refuse clients or unprotected sex"), "UNODC"),
    _i("advertised_online", "sexual", "all", WEAK,
       _("Advertised online by a third person"), "UNODC"),
    _i("hazardous_work", "labour", "all", MEDIUM,
       _("Hazardous work without protection"), "ILO 2009"),
    _i("lives_at_worksite", "labour", "adult", WEAK,
       _("Lives on the work site, degrading housing"), "ILO 2009"),
    _i("no_contract", "labour", "adult", WEAK,
       _("No contract, or a contract changed after arrival"), "ILO 2009"),
    _i("forced_to_work", "labour", "all", STRONG,
       _("Forced to work for the employer or others"), "ILO 2009"),
    _i("quota_begging", "begging_crime", "all", STRONG,
       _("Must bring a daily quota from begging or theft"), "UNODC"),
    _i("punished_quota", "begging_crime", "all", STRONG,
       _("Punished when the quota is not met"), "UNODC"),
    _i("transported_to_spots", "begging_crime", "all", MEDIUM,
       _("Brought to and collected from begging or theft spots"), "UNODC"),
    _i("disability_exploited", "begging_crime", "all", MEDIUM,
       _("Disability or injury exploited for begging"), "UNODC"),
    _i("child_unaccompanied", "child", "child", MEDIUM,
       _("Unaccompanied or with an adult who is not a parent or guardian"), "UNODC"),
    _i("child_not_in_school", "child", "child", WEAK,
       _("Out of school"), "ILO 2009"),
    _i("child_sexual", "child", "child", STRONG,
       _("Child in commercial sexual activity"), "ILO 2009"),
    _i("child_worst_labour", "child", "child", STRONG,
       _("Child in hazardous or worst forms of labour"), "ILO 2009"),
    _i("child_sold_or_given", "child", "child", STRONG,
       _("Child sold, given away or promised for marriage"), "UNODC"),
    _i("child_adult_controls", "child", "child", MEDIUM,
       _("An adult controls the child's movements or money"), "UNODC"),
]
INDICATORS_BY_CODE = {i.code: i for i in INDICATORS}

# A screening suggests "presumed victim" (never decides it) when the weights reach the
# threshold and at least one strong indicator is present: an adult needs e.g. two strong
# indicators, or one strong and two medium (ILO's rule asks for a strong one in the mix).
# For a child the means are not needed (Palermo Protocol Art. 3(c), CETS 197 Art. 4(c)):
# one strong indicator is enough.
ADULT_THRESHOLD, CHILD_THRESHOLD = 6, 3


def indicators_for(child: bool) -> list[Indicator]:
    return [i for i in INDICATORS
            if i.audience == Audience.ALL or i.audience == (Audience.CHILD if child else Audience.ADULT)]


class ConsentPurpose(models.TextChoices):
    """CETS 197 Art. 11 (private life, data only with consent or by law) and HTCDS
    `vic_AgreementToManagePersonalData`, split by purpose as the brief asks."""

    ASSISTANCE = "assistance", _("Assistance by the agency")
    REFERRAL = "referral", _("Sharing with another agency (referral)")
    CROSS_BORDER = "cross_border", _("Cross-border sharing")
    RESEARCH = "research", _("Research and statistics")


class ContactMode(models.TextChoices):
    """How a worker was in contact with a person of a case (a contact note)."""

    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone call")
    OUTREACH = "outreach", _("Outreach visit")
    MESSAGE = "message", _("Message or video call")
    OTHER = "other", _("Other")


class ReferralUrgency(models.TextChoices):
    """How soon the receiving agency must act: what it needs to know before accepting."""

    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent (within 24 hours)")
    IMMEDIATE = "immediate", _("Immediate (safety at risk now)")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Done")
    REVOKED = "revoked", _("Revoked")


REFERRAL_TRANSITIONS = {
    ReferralStatus.PENDING: {ReferralStatus.ACCEPTED, ReferralStatus.REJECTED,
                             ReferralStatus.REVOKED},
    ReferralStatus.ACCEPTED: {ReferralStatus.DONE, ReferralStatus.REVOKED},
    ReferralStatus.REJECTED: set(),
    ReferralStatus.DONE: set(),
    ReferralStatus.REVOKED: set(),
}


class ServiceKind(models.TextChoices):
    """CETS 197 Art. 12(1)-(4) and Art. 16 (repatriation), as listed in the brief."""

    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETATION = "interpretation", _("Interpretation")
    EDUCATION = "education", _("Education")
    VOCATIONAL = "vocational", _("Vocational training")
    EMPLOYMENT = "employment", _("Employment")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    # The OSCE Albania typology calls for addiction recovery among the services.
    SUBSTANCE_USE = "substance_use", _("Substance-use treatment")
    REPATRIATION = "repatriation", _("Repatriation")


class ReferralReason(models.TextChoices):
    """HTCDS `cas_ReasonForOutgoingReferral`, with the service asked for when it is a service;
    in snake_case like every code of the node (HTCDS spells them AdditionalServicesRequired,
    MigrationOrChangeOfLocation, Other: the API still takes those, `RENAMED_REFERRAL_REASONS`)."""

    ADDITIONAL_SERVICES = "additional_services", _("Additional services required")
    CHANGE_OF_LOCATION = "change_of_location", _("Migration or change of location")
    OTHER = "other", _("Other")


RENAMED_REFERRAL_REASONS = {"AdditionalServicesRequired": ReferralReason.ADDITIONAL_SERVICES,
                            "MigrationOrChangeOfLocation": ReferralReason.CHANGE_OF_LOCATION,
                            "Other": ReferralReason.OTHER}


# The `purpose` of a referral: a service of ServiceKind, identification, or case management.
REFERRAL_PURPOSES = {**dict(ServiceKind.choices),
                     "identification": _("Identification"),
                     "case_management": _("Case management")}


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DELIVERED = "delivered", _("Delivered")
    REFUSED = "refused", _("Refused by the person")


class MilestoneKind(models.TextChoices):
    """OSCE/ODIHR NRM handbook, long-term support and social inclusion."""

    HOUSING = "housing", _("Independent housing")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Back in education")
    FAMILY = "family", _("Family reunification")
    RETURN = "return", _("Safe return home")
    EXIT = "exit", _("Exit from the assistance programme")
    FOLLOW_UP = "follow_up", _("Follow-up after exit")


class TimerKind(models.TextChoices):
    REFLECTION = "reflection", _("Recovery and reflection period")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit decision")
    GUARDIAN = "guardian", _("Guardian appointment")


# Configurable defaults per jurisdiction (ProtectionConfig), not law. CETS 197 Art. 13 sets a
# reflection period of at least 30 days; Art. 14 and Art. 10(4) set no number of days.
DEFAULT_REFLECTION_DAYS = 30
MIN_REFLECTION_DAYS = 30
DEFAULT_RESIDENCE_PERMIT_DAYS = 60
DEFAULT_GUARDIAN_DAYS = 3
DUE_SOON_DAYS = 7  # a timer shows as due this many days before its date


class PermitDecision(models.TextChoices):
    """The decision on a residence permit application (CETS 197 Art. 14)."""

    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class PermitGround(models.TextChoices):
    """CETS 197 Art. 14(1): a renewable permit because the authority considers the stay
    necessary owing to the victim's personal situation (a), or for their cooperation with the
    authorities in an investigation or criminal proceedings (b)."""

    PERSONAL_SITUATION = "personal_situation", _("Personal situation (Art. 14(1)(a))")
    COOPERATION = "cooperation", _("Cooperation with the authorities (Art. 14(1)(b))")


class ReturnRisk(models.TextChoices):
    """The risk and security assessment before a child is returned (CETS 197 Art. 16(7))."""

    NOT_ASSESSED = "not_assessed", _("Not assessed")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ChildMeasure(models.TextChoices):
    """Measures a best-interests assessment recommends (UNHCR/UNICEF Guidelines on Assessing
    and Determining the Best Interests of the Child, 2021; CETS 197 Art. 10(4), 16(7))."""

    GUARDIANSHIP = "guardianship", _("Guardianship or legal representation")
    FAMILY_REUNIFICATION = "family_reunification", _("Family tracing and reunification")
    ALTERNATIVE_CARE = "alternative_care", _("Alternative care (foster or residential)")
    STAY = "stay", _("Stay in the country of destination")
    RETURN = "return", _("Safe return to the country of origin")
    EDUCATION = "education", _("Education or vocational training")
    HEALTH = "health", _("Health and psychological care")
    LEGAL = "legal", _("Legal assistance")

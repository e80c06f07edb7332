"""Identification: the victim's file, screenings on indicators, decisions along the state
machine (potential → presumed → identified | not identified), each with who and why.

The score of a screening only suggests "presumed victim"; a person decides, and only a
competent authority decides "identified" or "not identified" (CETS 197 Art. 10)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.choices import VICTIM_ROLES, DatePrecision
from crossroads.registry.models import Involvement
from crossroads.versions import StaleVersion

from ..checks import require_editor, required_text
from ..choices import (
    ADULT_THRESHOLD,
    AUTHORITY_DECISIONS,
    CHILD_THRESHOLD,
    COMPETENT_AUTHORITY_KINDS,
    INDICATORS_BY_CODE,
    STATUS_TRANSITIONS,
    STRONG,
    IdentificationStatus,
    indicators_for,
)
from ..models import Screening, StatusDecision, VictimFile
from . import timers

# An estimated age is taken as uncertain by this many years when presuming childhood.
AGE_UNCERTAINTY_YEARS = 2


def presumed_child(person, stated: bool = False, today: datetime.date | None = None) -> bool:
    """A child, or presumed one when the age is uncertain (CETS 197 Art. 10(3)): the youngest
    age the recorded date of birth allows is under 18, or the worker says the person may be a
    child."""
    if stated:
        return True
    if not person.birth_date:
        return False
    today = today or timezone.localdate()
    born = person.birth_date
    if person.birth_precision == DatePrecision.MONTH:
        born = born.replace(day=28)
    elif person.birth_precision == DatePrecision.YEAR:
        born = born.replace(month=12, day=31)
    elif person.birth_precision == DatePrecision.AGE:
        born = born.replace(year=born.year + AGE_UNCERTAINTY_YEARS, month=12, day=31)
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age < 18


def open_file(actor, case, person, *, may_be_child: bool = False,
              unaccompanied: bool = False) -> VictimFile:
    """The person's file in the case (created on first use); the person must be a victim or
    presumed victim of the case."""
    require_editor(actor, case)
    if not Involvement.objects.filter(case=case, person=person, role__in=VICTIM_ROLES).exists():
        raise ValidationError({"person_id": _("This person is not a victim in this case.")})
    child = presumed_child(person, may_be_child)
    with transaction.atomic():
        file, created = VictimFile.objects.get_or_create(
            case=case, person=person, defaults={
                "presumed_child": child, "unaccompanied": child and unaccompanied,
                # Unknown citizenship is not taken as foreign; the worker can correct it.
                "foreign": bool(person.citizenships)
                and case.jurisdiction_id not in person.citizenships})
        if not created and (child and not file.presumed_child or
                            unaccompanied and child and not file.unaccompanied):
            file.presumed_child, file.unaccompanied = True, file.unaccompanied or unaccompanied
            file.save(update_fields=["presumed_child", "unaccompanied"])
        if created:
            StatusDecision.objects.create(file=file, to_status=IdentificationStatus.POTENTIAL,
                                          decided_by=actor, agency_id=actor.agency_id,
                                          reason=_("File opened"))
            record(actor, Action.CREATE, file, details={
                "case": case.pk, "person": person.pk, "presumed_child": file.presumed_child})
    return file


def score(indicators: list[str], child: bool) -> tuple[int, int, bool]:
    """(score, threshold, suggests presumed victim) for the ticked indicators."""
    weights = [INDICATORS_BY_CODE[c].weight for c in indicators]
    threshold = CHILD_THRESHOLD if child else ADULT_THRESHOLD
    total = sum(weights)
    return total, threshold, total >= threshold and STRONG in weights


def screen(actor, file: VictimFile, indicators: list[str], notes: str = "") -> Screening:
    require_editor(actor, file)
    allowed = {i.code for i in indicators_for(file.presumed_child)}
    unknown = [c for c in indicators if c not in allowed]
    if unknown:
        raise ValidationError({"indicators": _("Not an indicator of this form: %(codes)s.") % {
            "codes": ", ".join(unknown)}})
    codes = sorted(set(indicators))
    if not codes:
        raise ValidationError({"indicators": _(
            "Tick the indicators you observed; a screening with none is not recorded (say in "
            "the decision's reason that no indicator was seen).")})
    total, threshold, suggests = score(codes, file.presumed_child)
    with transaction.atomic():
        screening = Screening.objects.create(
            file=file, agency_id=actor.agency_id, screened_by=actor,
            child_form=file.presumed_child, indicators=codes, score=total, threshold=threshold,
            suggests_presumed=suggests, notes=notes.strip())
        record(actor, Action.CREATE, screening, details={
            "file": file.pk, "score": total, "threshold": threshold, "suggests": suggests})
    return screening


def decide(actor, file: VictimFile, to_status: str, reason: str,
           screening: Screening | None = None, on: datetime.date | None = None, *,
           from_status: str | None = None) -> StatusDecision:
    """Move the file along the identification state machine, with the reason. Given the
    status the decision was taken on (`from_status`), a decision recorded meanwhile makes it
    stale (StaleVersion) rather than a step from a state its author has not seen."""
    require_editor(actor, file)
    if to_status not in IdentificationStatus.values:
        raise ValidationError({"status": _("Unknown identification status.")})
    if to_status in AUTHORITY_DECISIONS and actor.agency.kind not in COMPETENT_AUTHORITY_KINDS:
        raise ValidationError({"status": _(
            "Only a competent authority (police, social services, the national coordinator's "
            "office) decides whether a person is identified.")})
    reason = required_text(reason, "reason", _("State the reason for the decision."))
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = VictimFile.objects.select_for_update().select_related("case").get(pk=file.pk)
        current = IdentificationStatus(locked.status)
        if from_status is not None and from_status != current:
            raise StaleVersion(None)
        if to_status not in STATUS_TRANSITIONS[current]:
            raise ValidationError({"status": _(
                "A file that is “%(from)s” cannot become “%(to)s”.") % {
                "from": current.label, "to": IdentificationStatus(to_status).label}})
        decision = StatusDecision.objects.create(
            file=locked, from_status=current, to_status=to_status, decided_by=actor,
            agency_id=actor.agency_id, reason=reason, screening=screening)
        locked.status = to_status
        if to_status == IdentificationStatus.IDENTIFIED:
            locked.identified_on = on
        locked.save(update_fields=["status", "identified_on"])
        timers.on_status(locked, to_status, on)
        # The reason stays in its encrypted row; the chain names the decision and its length.
        record(actor, Action.UPDATE, locked, details={
            "from": current.value, "to": to_status, "decision": decision.pk,
            "reason_chars": len(reason)})
    file.status, file.identified_on = locked.status, locked.identified_on
    return decision

"""Referrals between the agencies of a jurisdiction: pending → accepted | rejected | revoked;
accepted → done | revoked. Accepting adds the receiving agency to the case's assigned agencies
(the case rule of the access policy then lets its case workers in); done or revoked takes that
access away again, unless another accepted referral still needs it. A transfer hands the
case's ownership to the receiving agency. Every step checks the victims' referral consent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.models import Agency
from crossroads.access.policy import PolicyDenied, may
from crossroads.audit.choices import Action
from crossroads.audit.services import record, record_denied
from crossroads.registry.models import Case

from ..checks import clean_text, require_editor, required_text
from ..choices import (
    REFERRAL_PURPOSES,
    REFERRAL_TRANSITIONS,
    RENAMED_REFERRAL_REASONS,
    ConsentPurpose,
    ReferralReason,
    ReferralUrgency,
)
from ..choices import ReferralStatus as S
from ..models import Referral
from ..queries import victims
from ..rules import EDIT_ASSISTANCE
from .consent import require_consent


def _consented(actor, referral, override_reason: str = "") -> list:
    """The victims' referral consent, children's overrides of this referral counting."""
    covered = set(referral.overrides.values_list("person_id", flat=True)) if referral.pk else set()
    persons = [p for p in victims(referral.case) if p.pk not in covered]
    return require_consent(actor, persons, ConsentPurpose.REFERRAL, override_reason)


def create(actor, case: Case, *, to_agency: int, purpose: str, reason: str = "",
           note: str = "", transfer: bool = False, override_reason: str = "",
           urgency: str = ReferralUrgency.ROUTINE) -> Referral:
    require_editor(actor, case)
    agency = Agency.objects.filter(pk=to_agency, jurisdiction_id=case.jurisdiction_id,
                                   active=True).first()
    if agency is None:
        raise ValidationError({"to_agency": _("No active agency of this jurisdiction has this id.")})
    if agency.pk == actor.agency_id:
        raise ValidationError({"to_agency": _("Refer to another agency than your own.")})
    if purpose not in REFERRAL_PURPOSES:
        raise ValidationError({"purpose": _("Use one of: %(codes)s.") % {
            "codes": ", ".join(REFERRAL_PURPOSES)}})
    reason = RENAMED_REFERRAL_REASONS.get(reason, reason) or ReferralReason.ADDITIONAL_SERVICES
    if reason not in ReferralReason.values:
        raise ValidationError({"reason": _("Use one of: %(codes)s.") % {
            "codes": ", ".join(ReferralReason.values)}})
    urgency = urgency or ReferralUrgency.ROUTINE
    if urgency not in ReferralUrgency.values:
        raise ValidationError({"urgency": _("Use one of: %(codes)s.") % {
            "codes": ", ".join(ReferralUrgency.values)}})
    if transfer and case.owner_agency_id != actor.agency_id:
        raise ValidationError({"transfer": _("Only the owner agency can transfer the case.")})
    if Referral.objects.filter(case=case, to_agency=agency, purpose=purpose,
                               status=S.PENDING).exists():
        raise ValidationError({"to_agency": _("A referral for this purpose is already pending.")})
    if not victims(case):
        raise ValidationError({"case": _("The case has no victim to refer.")})
    with transaction.atomic():
        referral = Referral(case=case, from_agency_id=actor.agency_id, to_agency=agency,
                            purpose=purpose, reason=reason, note=note.strip(), transfer=transfer,
                            urgency=urgency, created_by=actor)
        overrides = _consented(actor, referral, override_reason)
        referral.save()
        referral.overrides.set(overrides)
        record(actor, Action.CREATE, referral, details={
            "case": case.pk, "to_agency": agency.pk, "purpose": purpose, "transfer": transfer,
            "urgency": urgency, "best_interest_overrides": [o.pk for o in overrides]})
    return referral


def _side(actor, referral: Referral, *sides: str) -> None:
    """The actor acts for the receiving ("to") or sending ("from") agency."""
    agencies = {referral.to_agency_id if side == "to" else referral.from_agency_id
                for side in sides}
    if actor.agency_id not in agencies or not may(actor, EDIT_ASSISTANCE):
        record_denied(actor, Referral, {"pk": referral.pk}, "/".join(sides))
        raise PolicyDenied("referral")


def _move(actor, referral: Referral, to: str, reason: str, **details) -> Referral:
    if to not in REFERRAL_TRANSITIONS[S(referral.status)]:
        raise ValidationError({"status": _("A referral that is “%(from)s” cannot become “%(to)s”.")
                               % {"from": S(referral.status).label, "to": S(to).label}})
    referral.status, referral.decided_by, referral.decided_at = to, actor, timezone.now()
    referral.decision_reason = reason
    referral.save(update_fields=["status", "decided_by", "decided_at", "decision_reason",
                                 "granted_access"])
    # The reason stays in the referral's encrypted row; the chain records only its length.
    record(actor, Action.UPDATE, referral, details={"status": to, "reason_chars": len(reason),
                                                    **details})
    return referral


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)


def accept(actor, referral: Referral) -> Referral:
    _side(actor, referral, "to")
    with transaction.atomic():
        referral = _lock(referral)
        if referral.status == S.PENDING:
            _consented(actor, referral)  # withdrawn since it was sent: it cannot be accepted
        case = referral.case
        details = {}
        if referral.status == S.PENDING and referral.transfer:
            details["owner"] = {"from": case.owner_agency_id, "to": referral.to_agency_id}
            case.owner_agency_id = referral.to_agency_id
            case.save(update_fields=["owner_agency"])
        elif referral.status == S.PENDING and case.owner_agency_id != referral.to_agency_id \
                and not case.assigned_agencies.filter(pk=referral.to_agency_id).exists():
            case.assigned_agencies.add(referral.to_agency_id)
            referral.granted_access = True
            details["access_granted"] = referral.to_agency_id
        return _move(actor, referral, S.ACCEPTED, "", **details)


def reject(actor, referral: Referral, reason: str) -> Referral:
    _side(actor, referral, "to")
    reason = required_text(reason, "reason", _("State why the referral is rejected."))
    with transaction.atomic():
        return _move(actor, _lock(referral), S.REJECTED, reason)


def _end(actor, referral: Referral, to: str, reason: str) -> Referral:
    with transaction.atomic():
        referral = _lock(referral)
        details = {}
        if referral.status == S.ACCEPTED and referral.granted_access and not Referral.objects.filter(
                case=referral.case, to_agency=referral.to_agency, status=S.ACCEPTED,
                granted_access=True).exclude(pk=referral.pk).exists():
            referral.case.assigned_agencies.remove(referral.to_agency_id)
            details["access_removed"] = referral.to_agency_id
        referral.granted_access = False
        return _move(actor, referral, to, reason, **details)


def complete(actor, referral: Referral, reason: str = "") -> Referral:
    """The referred service is done (either side says so); the access it gave ends."""
    _side(actor, referral, "to", "from")
    return _end(actor, referral, S.DONE, clean_text(reason))


def revoke(actor, referral: Referral, reason: str) -> Referral:
    _side(actor, referral, "from")
    reason = required_text(reason, "reason", _("State why the referral is revoked."))
    return _end(actor, referral, S.REVOKED, reason)

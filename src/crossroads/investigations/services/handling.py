"""The handling code of a case: a raise applies at once with a reason; a lowering waits for a
second person of the owner agency (`crossroads.access.four_eyes`). Either way the registry's
`change_handling_code` does the write, so what follows from it (the exchange withdrawing an H3
case's persons) happens once, in one place."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.access.four_eyes import FourEyes
from crossroads.access.policy import CHANGE, can, get_visible_or_404, require
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry import services as registry
from crossroads.registry.choices import HandlingCode
from crossroads.registry.models import Case
from crossroads.text import clean_text

from ..choices import HandlingChangeStatus, restrictiveness
from ..models import HandlingCodeChange
from ..rules import DECIDE_HANDLING
from .lead import check_version, locked

FLOW = FourEyes(HandlingCodeChange, capability=DECIDE_HANDLING,
                decided_message=gettext_lazy("This change has already been decided."),
                jurisdiction="case.jurisdiction_id", pending=HandlingChangeStatus.PENDING,
                related=("case",))


def required_reason(reason: str, field: str = "reason") -> str:
    """The reason given, cleaned; a ValidationError naming `field` when there is none."""
    reason = clean_text(reason or "")[:500]
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    return reason


def require_change(actor, case: Case) -> None:
    """403 (audited) unless the actor may change the case: asked by the pages before they read
    a form, so that a refused request is refused whatever it carries."""
    require(actor, CHANGE, case)


def request_handling_code(actor, case: Case, handling_code: str, reason: str,
                          version=None) -> HandlingCodeChange:
    """Raise the case's handling code (applied now) or ask to lower it (pending). With
    `version` (the case's, as read) a request built from an older read raises StaleVersion."""
    require(actor, CHANGE, case)
    check_version(case, version)
    if handling_code not in HandlingCode.values:
        raise ValidationError({"handling_code": _("Unknown handling code.")})
    reason = required_reason(reason)
    try:
        with transaction.atomic():
            case = locked(case, version)
            if handling_code == case.handling_code:
                raise ValidationError({"handling_code": _("The case already has this "
                                                          "handling code.")})
            raises = restrictiveness(handling_code) > restrictiveness(case.handling_code)
            change = HandlingCodeChange.objects.create(
                case=case, from_code=case.handling_code, to_code=handling_code,
                requested_by=actor, request_reason=reason,
                status=HandlingChangeStatus.APPLIED if raises else HandlingChangeStatus.PENDING)
            record(actor, Action.CREATE, change, details={
                "case": case.pk, "handling_code": [change.from_code, handling_code],
                "status": change.status})
            if raises:
                registry.change_handling_code(actor, case, handling_code)
    except IntegrityError:  # a second lowering asked at the same time
        raise _already_pending() from None
    return change


def _already_pending() -> ValidationError:
    return ValidationError({"handling_code": _("A lowering of this case's handling code is "
                                               "already waiting for a decision.")})


def may_decide(actor, change: HandlingCodeChange) -> bool:
    """Another person than the requester, of the owner agency, who may change the case."""
    return (FLOW.may_decide(actor, change) and actor.agency_id == change.case.owner_agency_id
            and can(actor, CHANGE, change.case))


def _get(actor, change_id) -> HandlingCodeChange:
    return get_visible_or_404(HandlingCodeChange.objects.select_related("case"), actor,
                              pk=change_id)


def approve_handling_change(actor, change_id, reason: str = "") -> HandlingCodeChange:
    change = _get(actor, change_id)

    def effect(pending):
        case = locked(pending.case)
        if case.handling_code != pending.from_code:
            raise ValidationError({"status": _("The case's handling code has changed since; "
                                               "ask again.")})
        FLOW.close(actor, pending, HandlingChangeStatus.APPROVED, reason,
                   details={"case": case.pk, "status": HandlingChangeStatus.APPROVED})
        registry.change_handling_code(actor, case, pending.to_code)

    return FLOW.decide(actor, change, "approve", effect, allowed=may_decide)


def reject_handling_change(actor, change_id, reason: str) -> HandlingCodeChange:
    change = _get(actor, change_id)
    return FLOW.decide(
        actor, change, "reject",
        lambda pending: FLOW.close(actor, pending, HandlingChangeStatus.REJECTED, reason,
                                   details={"case": pending.case_id,
                                            "status": HandlingChangeStatus.REJECTED}),
        allowed=may_decide, before=lambda: required_reason(reason))


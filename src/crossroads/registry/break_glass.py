"""Break-glass: oversight and coordinators open one case of their jurisdiction, for a few hours,
by stating why. The page, the API and any future surface call these functions.

What a grant opens is decided by the access policy (`registry.rules.active_grants`): the case and its
persons' identities, suspects included, for VIEW only, while the grant is unexpired and not
revoked. Opening, ending and every read under a grant are audited; the grant is shown to the
case's owner agency (case page and home page).
"""

import hashlib
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.choices import Role
from crossroads.access.models import BreakGlassGrant
from crossroads.access.policy import VIEW, require_capability, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record, record_denied
from crossroads.text import clean_text

from .rules import BREAK_GLASS, break_glass_openable

MIN_PURPOSE = 20
MAX_PURPOSE = 2000
DEFAULT_HOURS = 4
MAX_HOURS = 24
OWNER_NOTICE_DAYS = 30


def _validate(purpose, hours) -> dict:
    errors = {}
    purpose = clean_text(purpose)
    if not purpose:
        errors["purpose"] = [_("State why you need to open this case.")]
    elif len(purpose) < MIN_PURPOSE:
        errors["purpose"] = [_("Describe the purpose in at least %(min)d characters.") % {
            "min": MIN_PURPOSE}]
    elif len(purpose) > MAX_PURPOSE:
        errors["purpose"] = [_("Describe the purpose in at most %(max)d characters.") % {
            "max": MAX_PURPOSE}]
    if isinstance(hours, bool) or not isinstance(hours, int):
        errors["hours"] = [_("Give the duration as a whole number of hours.")]
    elif not 1 <= hours <= MAX_HOURS:
        errors["hours"] = [_("Choose a duration from 1 to %(max)d hours.") % {"max": MAX_HOURS}]
    return errors


def _grant(user, case, purpose: str, hours: int) -> BreakGlassGrant:
    purpose = clean_text(purpose)
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=user, role=user.role, agency_id=user.agency_id, case=case, purpose=purpose,
            granted_at=now, expires_at=now + timedelta(hours=hours))
        # The purpose stays on the grant (shown to the owner agency); the chain keeps its hash,
        # so the stated reason cannot be rewritten later, and never any case content.
        record(user, Action.CREATE, grant, details={
            "case": case.pk, "hours": hours,
            "purpose_sha256": hashlib.sha256(purpose.encode()).hexdigest()})
    return grant


def open_grant(user, case_id, purpose: str, hours: int = DEFAULT_HOURS) -> BreakGlassGrant:
    """Open case `case_id` to `user` for `hours`; a case they may not open answers 404."""
    require_capability(user, BREAK_GLASS)
    case = break_glass_openable(user).filter(pk=case_id).first() if str(case_id).isdigit() else None
    if case is None:
        record_denied(user, BreakGlassGrant, {"case": case_id}, "break_glass")
        raise Http404
    errors = _validate(purpose, hours)
    if errors:
        raise ValidationError(errors)
    return _grant(user, case, purpose, hours)


def open_grant_by_reference(user, reference: str, purpose: str,
                            hours: int = DEFAULT_HOURS) -> BreakGlassGrant:
    """As `open_grant`, by case reference. A wrong reference, a case of another jurisdiction
    and a restricted case all get the same field error, so that nothing is revealed."""
    require_capability(user, BREAK_GLASS)
    errors = _validate(purpose, hours)
    reference = clean_text(reference)
    case = (break_glass_openable(user).filter(reference__iexact=reference).first()
            if reference else None)
    if case is None:
        errors["case_reference"] = [_("There is no such case in your jurisdiction.")]
        if reference:
            record_denied(user, BreakGlassGrant, {"reference": reference[:40]}, "break_glass")
    if errors:
        raise ValidationError(errors)
    return _grant(user, case, purpose, hours)


def revoke_grant(user, grant_id) -> BreakGlassGrant:
    """End one's own active grant before it expires."""
    with transaction.atomic():
        grant = (BreakGlassGrant.objects.active().select_for_update()
                 .filter(user_id=user.pk, pk=grant_id).first()) if str(grant_id).isdigit() else None
        if grant is None:
            raise Http404
        grant.revoked_at = timezone.now()
        grant.revoked_by = user
        grant.save(update_fields=["revoked_at", "revoked_by"])
        record(user, Action.UPDATE, grant, details={"case": grant.case_id, "revoked": True})
    return grant


def active_grants(user):
    """The user's grants that are open now (latest first)."""
    return (BreakGlassGrant.objects.active().filter(user_id=user.pk)
            .select_related("case").order_by("-granted_at"))


def visible_grants(user):
    """Grants the user may see: their own, those on their agency's cases, all for oversight."""
    return (restrict(BreakGlassGrant.objects.all(), user, VIEW)
            .select_related("case", "user", "agency", "revoked_by"))


def grants_for_owner(user, case):
    """The case's grants, for users of its owner agency (empty for anyone else)."""
    if not user.agency_id or case.owner_agency_id != user.agency_id:
        return BreakGlassGrant.objects.none()
    return visible_grants(user).filter(case_id=case.pk)


def recent_openings_for_owner(user, days: int = OWNER_NOTICE_DAYS):
    """Grants opened in the last `days` days on cases of the user's agency that the user sees."""
    if not user.agency_id:
        return BreakGlassGrant.objects.none()
    since = timezone.now() - timedelta(days=days)
    return (visible_grants(user).filter(case__owner_agency_id=user.agency_id, granted_at__gte=since)
            .exclude(user_id=user.pk))


def recent_openings_for_oversight(user, days: int = OWNER_NOTICE_DAYS):
    """For oversight: every grant opened in the jurisdiction in the last `days` days but one's own."""
    if user.role != Role.OVERSIGHT:
        return BreakGlassGrant.objects.none()
    since = timezone.now() - timedelta(days=days)
    return visible_grants(user).filter(granted_at__gte=since).exclude(user_id=user.pk)

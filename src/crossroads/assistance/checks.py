"""Policy checks shared by the assistance services (the rules themselves are in `rules.py`)."""

from django.core.exceptions import ValidationError

from crossroads.access.break_glass import clean_text
from crossroads.access.policy import CHANGE, PolicyDenied, require
from crossroads.audit.services import record_denied


def require_editor(actor, obj) -> None:
    """Identification, consent and referral writes: assistance editors who may change `obj`."""
    from .rules import ASSISTANCE_EDITORS

    require(actor, CHANGE, obj)
    if actor.role not in ASSISTANCE_EDITORS:
        record_denied(actor, type(obj), {"pk": obj.pk}, "assist")
        raise PolicyDenied("assist")


def require_care(actor, file) -> None:
    """Care records (services, milestones, stays) of a file: case workers who may change it."""
    from .rules import CARE_ROLES

    require(actor, CHANGE, file)
    if actor.role not in CARE_ROLES:
        record_denied(actor, type(file), {"pk": file.pk}, "care")
        raise PolicyDenied("care")


def required_text(value: str, field: str, message: str) -> str:
    """One line of text (control characters dropped), or a ValidationError on `field`."""
    value = clean_text(value)
    if not value:
        raise ValidationError({field: message})
    return value

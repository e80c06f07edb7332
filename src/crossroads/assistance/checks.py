"""Policy checks shared by the assistance services (the rules themselves are in `rules.py`)."""

from django.core.exceptions import ValidationError

from crossroads.access.policy import CHANGE, require, require_capability
from crossroads.registry.validation import refuse_hidden
from crossroads.text import clean_text

from .rules import EDIT_ASSISTANCE, KEEP_CARE_RECORD


def require_editor(actor, obj) -> None:
    """Identification, consent and referral writes: assistance editors who may change `obj`."""
    require(actor, CHANGE, obj)
    require_capability(actor, EDIT_ASSISTANCE)


def require_care(actor, file) -> None:
    """Care records (services, milestones, stays) of a file: case workers who may change it."""
    require(actor, CHANGE, file)
    require_capability(actor, KEEP_CARE_RECORD)


def required_text(value: str, field: str, message: str) -> str:
    """One line of text (control characters dropped), or a ValidationError on `field` (also
    for an invisible format character, such as a bidi override)."""
    value = clean_text(refuse_hidden(value, field))
    if not value:
        raise ValidationError({field: message})
    return value


def collected_text(errors: dict, field: str, value: str) -> str:
    """Free text cleaned, or "" with its error added to `errors` (so that a form's every
    mistake is named at once, not one per submit)."""
    try:
        return clean_text(refuse_hidden(value or "", field))
    except ValidationError as error:
        errors[field] = " ".join(error.messages)
        return ""

"""Domain validation shared by the API, the pages and the importers.

Each rule raises Django's ValidationError keyed by the offending field, so every surface can
say which field is wrong."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.countries import clean_country
from crossroads.text import hidden_character

from .choices import DatePrecision, DocumentType
from .national_ids import NationalIdError, validate_document_number


def clean_countries(values, field: str) -> list[str]:
    return sorted({clean_country(v, field, required=True) for v in values or []})


def clean_birth(birth_date: datetime.date | None, precision: str) -> datetime.date | None:
    """Normalise a partial date of birth to its first day and refuse dates in the future."""
    if precision not in DatePrecision.values:
        raise ValidationError({"birth_precision": _("Unknown precision.")})
    if birth_date is None:
        return None
    if birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("The date of birth lies in the future.")})
    if birth_date.year < 1900:
        raise ValidationError({"birth_date": _("The date of birth is before 1900.")})
    if precision == DatePrecision.MONTH:
        return birth_date.replace(day=1)
    if precision in {DatePrecision.YEAR, DatePrecision.AGE}:
        return birth_date.replace(month=1, day=1)
    return birth_date


def clean_document(doc_type: str, number: str, issuing_country: str, *, birth_date, sex,
                   precision, field: str = "documents") -> tuple[str, str, str]:
    if doc_type not in DocumentType.values:
        raise ValidationError({f"{field}.doc_type": _("Unknown document type.")})
    try:
        normalised = validate_document_number(
            doc_type, number, birth_date=birth_date, sex=sex if sex in {"M", "F"} else None,
            birth_precision=precision if birth_date else "age")
    except NationalIdError as error:
        # The templates and the kinds of number ("label") are listed in national_id_messages.
        params = dict(error.params)
        if "label" in params:
            params["label"] = _(params["label"])
        raise ValidationError({f"{field}.number": _(error.template) % params}) from None
    return doc_type, normalised, clean_country(issuing_country, f"{field}.issuing_country",
                                               required=True)


def refuse_hidden(value: str, field: str) -> str:
    """`value`, unless it holds a NUL or an invisible format character (a bidi override shows
    a name as another): a ValidationError on `field` naming the character."""
    found = hidden_character(value or "")
    if found:
        raise ValidationError({field: _("Remove the invisible character %(char)s: it changes "
                                        "how the text displays.") % {"char": found}})
    return value


def clean_name(value: str, field: str, *, required: bool) -> str:
    value = " ".join(refuse_hidden(value, field).split()) if value else ""
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if any(ch.isdigit() for ch in value):
        raise ValidationError({field: _("A name cannot contain digits.")})
    return value

"""Countries: the codes the node accepts and their names in the reader's language.

The codes are ISO 3166-1 alpha-2 (pycountry, from Debian's iso-codes) plus XK, the code the
region's institutions (and CLDR) use for Kosovo; the names are CLDR's (Babel), so every language
of the node has them without our catalogues translating 250 names.
"""

from functools import cache

import pycountry
from babel import Locale
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

CODES = frozenset({country.alpha_2 for country in pycountry.countries} | {"XK"})


@cache
def _names(language: str) -> dict[str, str]:
    # Django's "sr-latn" is CLDR's "sr_Latn"; a language CLDR lacks falls back to English.
    try:
        territories = Locale.parse(to_locale(language)).territories
    except (ValueError, LookupError):
        territories = Locale("en").territories
    return {code: territories.get(code, code) for code in CODES}


def name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (the active one); an unknown code is shown as it is."""
    if not code:
        return ""
    return _names(language or get_language() or "en").get(code, code)


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _names(language)
    return tuple(sorted(names.items(), key=lambda item: item[1].casefold()))


def choices(language: str | None = None) -> tuple[tuple[str, str], ...]:
    """(code, name) pairs sorted by name in `language` (the active one): a picker's options."""
    return _choices(language or get_language() or "en")


def optional_choices() -> list[tuple[str, str]]:
    return [("", "—"), *choices()]


def clean_country(value: str, field: str, *, required: bool = False) -> str:
    """The code in capitals, or a ValidationError naming `field` (empty is allowed unless
    `required`)."""
    value = (value or "").strip().upper()
    if not value:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return ""
    if value not in CODES:
        raise ValidationError({field: _("Unknown country code %(code)s: use an ISO 3166-1 "
                                        "two-letter code, or XK for Kosovo.") % {"code": value[:8]}})
    return value

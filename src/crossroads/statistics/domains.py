"""The public domains of the released variables: every value a differentially private release
may show, fixed in code and settings, never read from the data.

A DP histogram must be measured over categories chosen without looking at the records: a
category list taken from the data would itself reveal that someone has that value. Values of a
record outside its domain are mapped to `UNKNOWN` (years outside the range to its nearest end).
"""

from django.conf import settings
from django.utils import timezone

from crossroads.registry.choices import AgeBand, ExploitationForm, Sex
from crossroads.registry.models import FORM_FIELDS

from .countries import ALPHA3

UNKNOWN = "Unknown"
KOSOVO = "XK"  # user-assigned, not in ISO 3166-1


def years() -> list[str]:
    first = int(getattr(settings, "CROSSROADS_STATISTICS_FIRST_YEAR", 2000))
    return [str(y) for y in range(first, timezone.now().year + 1)]


def domains() -> dict[str, list[str]]:
    countries = sorted({*ALPHA3, KOSOVO}) + [UNKNOWN]
    return {
        "year": years(),
        "sex": list(Sex.values),
        "age_band": [*AgeBand.values, UNKNOWN],
        "citizenship": countries,
        "country_of_exploitation": countries,
        "form": list(ExploitationForm.values),
        **{indicator: ["0", "1"] for indicator in FORM_FIELDS.values()},
    }


def clamp(row: dict, domain: dict[str, list[str]]) -> dict:
    """The row with every value inside its column's domain (columns the row lacks left out)."""
    out = {}
    for column, values in domain.items():
        if column not in row:
            continue
        value = row[column]
        if column == "year" and value not in values:
            value = values[0] if int(value) < int(values[0]) else values[-1]
        elif value not in values:
            value = UNKNOWN if UNKNOWN in values else values[-1]
        out[column] = value
    return out

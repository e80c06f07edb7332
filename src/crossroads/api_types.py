"""Input types of the API that say in the OpenAPI schema what the node accepts.

Python integers are unbounded, database integers are not: an id or year out of range made
SQLite raise OverflowError (a 500) and PostgreSQL raise NumericValueOutOfRange. With these
types the bounds are in the schema and a value out of range is a 422 naming the field.

Pydantic's lax mode takes a number as a date (seconds since 1970: ``0`` is 1970-01-01); a
birth date typed as ``0`` must be refused, not recorded or searched as 1 January 1970.
"""

import datetime
import re
from collections.abc import Callable
from typing import Annotated

from django.conf import settings
from pydantic import BeforeValidator, Field, WithJsonSchema

from crossroads import countries

MAX_ID = 2**63 - 1  # BIGINT (PostgreSQL), INTEGER (SQLite)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1900, le=2100)]
Limit = Annotated[int, Field(ge=1, le=settings.CROSSROADS_MAX_PAGE_SIZE)]
Offset = Annotated[int, Field(ge=0, le=2**31 - 1)]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value):
    if isinstance(value, datetime.date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("Use a date as YYYY-MM-DD.")


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]


def _country(value):
    if not isinstance(value, str):
        raise ValueError("Use a country code.")
    code = value.strip().upper()
    if code and code not in countries.CODES:
        raise ValueError(f"Unknown country code {code[:8]!r}: use an ISO 3166-1 two-letter code, "
                         "or XK for Kosovo.")
    return code


_COUNTRY_SCHEMA = {"type": "string", "enum": sorted(countries.CODES),
                   "description": "ISO 3166-1 alpha-2, or XK for Kosovo."}
Country = Annotated[str, BeforeValidator(_country), Field(min_length=2),
                    WithJsonSchema(_COUNTRY_SCHEMA)]
OptionalCountry = Annotated[str, BeforeValidator(_country),
                            WithJsonSchema({**_COUNTRY_SCHEMA, "enum": ["", *_COUNTRY_SCHEMA["enum"]]})]


# Routes whose domain checks also run when the body fails its schema: (url name, method) ->
# (body schema, check(user, parsed body, **path) raising ValidationError); the API's
# schema-error handler asks it. Django names a path by its first operation, so a path with
# several methods gives its operations one `url_name`.
DOMAIN_CHECKS: dict[tuple[str, str], tuple[type, Callable]] = {}


def check_also_on_schema_errors(url_name: str, schema: type, check: Callable,
                                method: str = "POST") -> None:
    """When a body of route `url_name` fails its schema, its fields that parsed still go through
    the domain check, so one 422 lists both kinds of mistake. The failing fields are left out
    (defaults in their place), and the check's errors about them are dropped. The check is
    called as `check(user, parsed_body, **path)` with the route's path parameters (as text)."""
    DOMAIN_CHECKS[url_name, method] = (schema, check)

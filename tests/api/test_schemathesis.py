"""Property-based API tests (schemathesis) against the node's own OpenAPI schema.

For every operation in `/api/v1/openapi.json`, schemathesis generates requests from the schema
(valid and invalid ones) and sends them to the Django WSGI application as an investigator with
a write token. Every response must be no server error, have a status code, content type,
headers and body that the schema declares for the operation; input the schema forbids must be
refused; a missing or bad token must get 401.

One check is left out: `positive_data_acceptance` (schema-valid input must succeed). The
domain rules behind a 422 — a name without digits, a JMBG whose checksum and date agree with
the birth date, an allowed status transition, a known country code — are beyond JSON Schema;
the 422 itself is declared for every operation with input.
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from crossroads.access.choices import Role
from crossroads.api import api

# Bounded for the suite (about half a minute on one core, with the coverage phase's boundary
# cases); CROSSROADS_SCHEMATHESIS_EXAMPLES=500 runs a deeper, randomised search.
DEEP = os.environ.get("CROSSROADS_SCHEMATHESIS_EXAMPLES")
EXAMPLES = int(DEEP or 15)


@pytest.fixture
def api_schema(db):
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = WSGIHandler()
    return schema


@pytest.fixture
def bearer(world, settings):
    """A write token of the AL investigator; the test's database transaction stays open."""
    # schemathesis also sends bad tokens on purpose; the lock-out they would cause (429, declared
    # in the schema) is tested in tests/access, here it would hide every other answer.
    settings.AXES_ENABLED = False
    # Django closes "old" connections at the end of each request, which would end the
    # transaction that isolates the test; its own test client disconnects them the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {world.tokens[world.user(Role.INVESTIGATOR).username]}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=not DEEP, database=None,
                     suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])

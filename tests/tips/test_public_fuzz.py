"""The public routes under generated input: schemathesis sends the schema's valid and invalid
bodies to the three public API routes as the public does (no token, no cookie), and a fuzz of
the public form posts arbitrary field values. No answer is a server error, every answer is
one the schema declares, and the form refuses nothing silently: either the report is stored
and the receipt shown, or nothing is stored and the page says what was wrong."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from crossroads.api import api
from crossroads.tips import formtoken, limits
from crossroads.tips.models import Report

BIG_BUDGETS = {"submit": (10_000, 10_000), "lookup": (10_000, 10_000), "reply": (10_000, 10_000)}


@pytest.fixture
def public_schema(db):
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = WSGIHandler()
    return schema


@pytest.fixture
def as_the_public(settings):
    settings.CROSSROADS_TIPS_LIMITS = BIG_BUDGETS  # the budgets' own tests are elsewhere
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("public_schema").include(path_regex=r"^/api/v1/public/")


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck))
def test_the_public_routes_conform_to_their_schema_without_a_token(case, as_the_public):
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert "set-cookie" not in {name.lower() for name in response.headers}


CHOICES = {"occurred": ["days", "weeks", "ongoing", "unknown"],
           "affected": ["children", "adults", "both", "unknown"],
           "urgency": ["danger", "soon", "routine"], "language": ["sq", "en", "mk"]}
MUNICIPALITIES = ["AL:Tiranë", "AL:", "RS:", "XK:Prizren", "Tiranë"]


def _field(name):
    listed = st.sampled_from(CHOICES.get(name, MUNICIPALITIES))
    return st.one_of(listed, st.text(max_size=40))


@pytest.mark.django_db
@hypothesis_settings(max_examples=40, deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow])
@given(text=st.text(max_size=400), place=st.text(max_size=60), contact=st.text(max_size=60),
       municipality=_field("municipality"), occurred=_field("occurred"),
       affected=_field("affected"), urgency=_field("urgency"), language=_field("language"))
def test_the_form_refuses_nothing_silently(settings, text, place, contact, municipality,
                                           occurred, affected, urgency, language):
    settings.CROSSROADS_TIPS_LIMITS = BIG_BUDGETS
    limits.LIMITER.reset()
    before = Report.objects.count()
    data = {"form_token": formtoken.issue(), "text": text, "place": place, "contact": contact,
            "municipality": municipality, "occurred": occurred, "affected": affected,
            "urgency": urgency, "language": language}
    # A NUL cannot travel in a form post (the browser never sends one); the field checks see
    # every other character.
    data = {k: v.replace("\x00", "") for k, v in data.items()}
    response = Client().post("/report/", data)
    page = response.content.decode()
    assert response.status_code in (200, 422), response.status_code
    if response.status_code == 200:
        assert Report.objects.count() == before + 1 and 'id="receipt"' in page
    else:
        assert Report.objects.count() == before
        assert 'class="error' in page  # the reason is on the page
    assert not response.cookies

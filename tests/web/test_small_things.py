"""Issue 21, point 14: the favicon, dates typed as pages print them (snake_case referral reasons:
tests/assistance/test_referral_reason_spelling.py; the right second-factor code straight after
a wrong one: tests/access/test_mfa.py)."""

import datetime
import re

from django.conf import settings

from crossroads.access.choices import Role
from crossroads.registry.models import Person
from tests.web.test_pages import FORM


def test_the_favicon_is_linked_and_answered(world, client):
    assert 'rel="icon" href="/static/web/favicon.svg"' in client.get("/login/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/web/favicon.svg"


def test_dates_are_typed_day_first_in_every_language(world):
    client = world.client(Role.CASE_WORKER)
    html = client.get("/register/").content.decode()
    birth = re.search(r'<input[^>]*name="birth_date"[^>]*>', html).group(0)
    assert 'type="text"' in birth and 'placeholder="dd/mm/yyyy"' in birth
    response = client.post("/register/", {**FORM, "birth_date": "05/04/2003", "opened_on": "oops"})
    assert response.status_code == 422
    # Kept as typed, and understood day first: 5 April (no future-date error, no US reading).
    assert 'value="05/04/2003"' in response.content.decode()
    registered = client.post("/register/", {**FORM, "birth_date": "05/04/2003"})
    assert registered.status_code == 302
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr-cyrl"
    page = client.get("/register/").content.decode()
    assert 'placeholder="дд.мм.гггг."' in page
    assert client.post("/register/", {**FORM, "given_names": "Ана", "family_name": "Лекај",
                                      "birth_date": "5.4.2003."}).status_code == 302
    assert {p.birth_date for p in Person.objects.all()} >= {datetime.date(2003, 4, 5)}

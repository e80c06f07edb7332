"""No identity data in logs or error reports (crossroads.web.privacy).

Names reach the node in query strings (person search) and form posts (registration). Django
logs every 4xx and 5xx response with the request attached, runserver logs the request line,
and an error report lists GET and POST parameters and the local variables of every frame.
"""

import logging
import sys

from django.test import RequestFactory
from django.views.debug import get_exception_reporter_class, get_exception_reporter_filter

from crossroads.access.choices import Role
from crossroads.web.privacy import RedactRequestData

# Built at run time: the error report quotes the source lines around each frame.
NAME = "".join(("Dri", "ta"))
FAMILY = "".join(("Kras", "niqi"))


def everything_logged(records) -> str:
    """Each record as a handler could render it: message, arguments and every attribute."""
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.extend(repr(value) for value in vars(record).values())
    return "\n".join(parts)


def test_4xx_on_person_search_keeps_the_name_out_of_the_log(world, caplog):
    victim = world.persons["AL-victim"]
    api = world.api(Role.INVESTIGATOR)
    page = world.client(Role.INVESTIGATOR)
    with caplog.at_level(logging.INFO):
        assert api.get("/api/v1/persons", {"name": NAME, "limit": 100000}).status_code == 422
        assert api.get("/api/v1/persons/999999", {"name": NAME}).status_code == 404
        assert page.get("/persons/999999/", {"q": f"{NAME} {FAMILY}"}).status_code == 404
        assert page.get("/persons/", {"q": NAME, "page": "x"},
                        headers={"Referer": f"/persons/?q={NAME}"}).status_code == 200
        assert world.api(Role.ANALYST).get("/api/v1/persons", {"name": NAME}).status_code in {
            403, 404, 422}
        assert api.get(f"/api/v1/persons/{victim.pk}", {"name": NAME}).status_code == 200
    logged = [r for r in caplog.records if r.name.startswith("django")]
    assert any("Not Found: /persons/999999/" in r.getMessage() for r in logged)
    assert any(r.getMessage().startswith("Unprocessable") for r in logged)
    assert NAME not in everything_logged(caplog.records)
    assert NAME not in caplog.text


def test_request_lines_lose_their_query_string():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               (f"GET /persons/?q={NAME}+{FAMILY} HTTP/1.1", "200", "512"), None)
    record.request = RequestFactory().get("/persons/", {"q": NAME})
    assert RedactRequestData().filter(record) is True
    assert record.getMessage() == '"GET /persons/?[redacted] HTTP/1.1" 200 512'
    assert record.request is None


def _fail_with_identity_in_scope(given_names):
    family_name = FAMILY  # noqa: F841 — a local variable an error report would show
    raise ValueError("registration failed")


def test_error_reports_show_no_parameters_or_variables(settings):
    settings.DEBUG = True  # the filter holds even where someone switched DEBUG on
    request = RequestFactory().post(f"/register/?q={NAME}", {"given_names": NAME, "family_name": FAMILY},
                                    headers={"Referer": f"https://node/persons/?q={NAME}",
                                             "X-Purpose": f"looking for {NAME}"})
    assert get_exception_reporter_filter(request).__class__.__name__ == "RedactingExceptionReporterFilter"
    try:
        _fail_with_identity_in_scope(NAME)
    except ValueError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
    text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert "registration failed" in text and "given_names" in text
    for report in (text, html):
        assert NAME not in report
        assert FAMILY not in report

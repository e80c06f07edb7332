"""Web hardening: Content-Security-Policy without inline code, CSRF, framing, cookies, HSTS.

Every main page (and the API docs, the CSRF failure page and a 404) is fetched and checked for
the headers and for inline code the policy would block: a <script> without src (JSON data
blocks excepted: the browser never runs them), a <style> element, a style= or on…= attribute,
a javascript: URL. The templates themselves are scanned too, so a page not walked here is
still covered.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from crossroads.access import queries
from crossroads.access.choices import Role

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "crossroads" / "web" / "templates"
POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
    "img-src": "'self' data:", "font-src": "'self'", "connect-src": "'self'",
    "frame-ancestors": "'none'", "form-action": "'self'", "base-uri": "'none'",
    "object-src": "'none'",
}


def policy_of(response) -> dict:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


class InlineCode(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        where = self.getpos()
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.problems.append(f"inline <script> at {where}")
        if tag == "style":
            self.problems.append(f"<style> element at {where}")
        for name, value in attrs.items():
            if name == "style":
                self.problems.append(f"style= on <{tag}> at {where}")
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}> at {where}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower() \
                    .startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}> at {where}")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.problems


def assert_hardened(response, what):
    assert policy_of(response) == POLICY, what
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") == "same-origin", what
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", what
    if "text/html" in response.headers.get("Content-Type", ""):
        problems = inline_code(response.content.decode())
        assert not problems, f"{what}: {problems}"


def walk(world):
    """(label, response) for the main pages of every kind of user, errors included."""
    case = world.cases["AL-police"]
    victim = world.persons["AL-victim"]
    anonymous = Client()
    yield "log-in", anonymous.get("/login/")
    yield "404", anonymous.get("/no-such-page/")
    yield "CSRF failure", Client(enforce_csrf_checks=True).post("/login/", {"username": "x"})

    investigator = world.client(Role.INVESTIGATOR)
    yield "API docs", investigator.get("/api/v1/docs")  # after log-in only (finding 11)
    token = queries.my_tokens(world.user(Role.INVESTIGATOR)).first()
    for url in ("/", "/cases/", "/cases/?form=sexual&status=open", f"/cases/{case.pk}/",
                "/register/", "/persons/", f"/persons/{victim.pk}/",
                "/account/tokens/", f"/account/tokens/{token.pk}/revoke/", "/persons/999999/"):
        yield url, investigator.get(url)
    yield "search", investigator.post("/persons/", {"q": "Drita Krasniqi"})
    yield "search partial", investigator.post("/persons/", {"q": "Drita"},
                                              headers={"HX-Request": "true"})
    yield "registration errors", investigator.post("/register/", {"given_names": "Blerta"})
    yield "close confirmation", investigator.post(f"/cases/{case.pk}/status/", {"status": "closed"})

    yield "/audit/", world.client(Role.OVERSIGHT).get("/audit/")
    administrator = world.client(Role.ADMINISTRATOR)
    agency = world.agencies[("AL", "ngo")]
    account = world.user(Role.CASE_WORKER)
    for url in ("/manage/accounts/", "/manage/accounts/new/", f"/manage/accounts/{account.pk}/",
                "/manage/agencies/", "/manage/agencies/new/", f"/manage/agencies/{agency.pk}/"):
        yield url, administrator.get(url)
    yield "forbidden", world.client(Role.ANALYST).get("/audit/")


def test_pages_and_api_docs_send_the_policy_and_carry_no_inline_code(world):
    seen = {}
    for label, response in walk(world):
        assert response.status_code < 500, label
        assert_hardened(response, label)
        seen[label] = response.status_code
    assert seen["log-in"] == 200 and seen["API docs"] == 200 and seen["/audit/"] == 200
    assert seen["404"] == 404 and seen["/persons/999999/"] == 404 and seen["CSRF failure"] == 403
    assert seen["registration errors"] == 422


def test_api_responses_carry_the_policy(world):
    response = world.api(Role.INVESTIGATOR).get("/api/v1/me")
    assert response.status_code == 200
    assert_hardened(response, "/api/v1/me")


def test_api_docs_load_nothing_from_another_site(world):
    client = world.client(Role.INVESTIGATOR)  # the docs need a log-in (finding 11)
    page = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui-init.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    assert "//" not in "".join(assets)


def _source_without_comments(path: Path) -> str:
    text = path.read_text()
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", text, flags=re.S)
    return re.sub(r"{#.*?#}", "", text)


@pytest.mark.parametrize("template", sorted(p.relative_to(TEMPLATES).as_posix()
                                            for p in TEMPLATES.rglob("*.html")))
def test_templates_hold_no_inline_script_or_style(template):
    source = _source_without_comments(TEMPLATES / template)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", source)
    assert not re.search(r"<style\b", source)
    assert not re.search(r"\sstyle\s*=", source)
    assert not re.search(r"\son[a-z]+\s*=", source)
    assert "javascript:" not in source.lower()


def test_base_page_configures_htmx_for_the_policy(client):
    page = client.get("/login/").content.decode()
    assert '"includeIndicatorStyles":false' in page
    assert '"historyCacheSize":0' in page and '"allowEval":false' in page


def test_forms_and_session_api_calls_need_the_csrf_token(world):
    browser = world.client(Role.INVESTIGATOR)
    browser.handler.enforce_csrf_checks = True
    case = world.cases["AL-police"]
    assert browser.post(f"/cases/{case.pk}/status/", {"status": "investigation"}).status_code == 403
    assert browser.post("/account/tokens/", {"name": "x", "days": 1, "scope": "read"}).status_code == 403
    api = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert api.status_code == 403
    page = browser.get("/account/tokens/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    with_token = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json",
                              headers={"X-CSRFToken": token})
    assert with_token.status_code == 201
    # A bearer token is no ambient credential: no CSRF token is needed with it (it cannot
    # create tokens, finding 8, but it can revoke one).
    revoked = world.api(Role.INVESTIGATOR).delete(f"/api/v1/tokens/{with_token.json()['id']}")
    assert revoked.status_code == 204


def test_pages_and_api_answers_are_not_cached(world):
    from crossroads.access.choices import Role

    page = world.client(Role.INVESTIGATOR).get(f"/persons/{world.persons['AL-victim'].pk}/")
    assert page.headers["Cache-Control"] == "no-store"
    api = world.api(Role.INVESTIGATOR).get(f"/api/v1/persons/{world.persons['AL-victim'].pk}")
    assert api.headers["Cache-Control"] == "no-store"

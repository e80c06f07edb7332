"""The main flow in a real browser, in English, Albanian and Serbian Cyrillic: log in, register a
victim, find them by their name written in the other script, open the case from the case list,
change its status, log out. Each non-English page is also checked with axe-core.

With CROSSROADS_SCREENSHOTS=DIR the flow saves the main pages as DIR/<language>-<page>.png.
"""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.browserkit import describe, log_in, run_axe, screenshot

pytestmark = pytest.mark.browser


@dataclass
class Flow:
    language: str     # language code as offered by the switcher and set on <html lang>
    username: str
    given: str        # the name registered ...
    family: str
    search: str       # ... and the same name written in the other script
    form: str         # form of exploitation ticked


FLOWS = [
    Flow("en", "al_case_worker", "Ardita", "Zeqiri", "Ардита Зећири", "forced_labour"),
    Flow("sq", "al_prosecutor", "Teuta", "Gjoka", "Теута Ђока", "sexual"),
    Flow("sr-cyrl", "rs_investigator", "Милица", "Јовановић", "Milica Jovanovic", "forced_begging"),
]


def _check(page, flow: Flow, name: str, full_page: bool = False) -> None:
    """The page is in the flow's language, passes axe (non-English), and is saved when asked."""
    assert page.locator("html").get_attribute("lang") == flow.language, f"{name}: wrong language"
    if flow.language != "en":
        violations = run_axe(page)
        assert not violations, f"{name} in {flow.language}:\n{describe(violations)}"
    screenshot(page, f"{flow.language}-{name}", full_page)


def _message(page) -> str:
    return page.locator("main .message").first.inner_text()


@pytest.mark.parametrize("flow", FLOWS, ids=[f.language for f in FLOWS])
def test_main_flow(new_page, node, flow):
    login = node.login(flow.username)
    page = new_page()

    # Log in (password, then the authenticator's code), in the flow's language chosen with the
    # switcher on the log-in page.
    page.goto("/login/")
    english_title = page.locator("h1").inner_text()
    if flow.language != "en":
        page.select_option("#language-select", flow.language)
        page.locator("form.lang button[type=submit]").click()
        # The switcher posts and redirects: wait on the html element itself, which the locator
        # finds again on the new document (a script would run on the unloaded one).
        expect(page.locator("html")).to_have_attribute("lang", flow.language)
        assert page.locator("h1").inner_text() != english_title, "log-in page not translated"
    _check(page, flow, "login")
    log_in(page, login, on_second_factor=lambda page: _check(page, flow, "second-factor"))
    page.wait_for_url(re.compile(r"/$"))
    assert login["username"] in page.locator("header .who").inner_text()
    _check(page, flow, "home")

    # Register a victim through the menu.
    page.locator("header nav a[href='/register/']").click()
    page.wait_for_url("**/register/")
    _check(page, flow, "registration")
    page.fill("#id_given_names", flow.given)
    page.fill("#id_family_name", flow.family)
    page.select_option("#id_sex", "F")
    page.fill("#id_birth_date", "2003-04-05")
    page.select_option("#id_citizenships", "AL" if flow.username.startswith("al") else "RS")
    page.check(f"input[name=forms_of_exploitation][value={flow.form}]")
    page.fill("#id_summary", "Registered by the browser test.")
    page.locator("form.register button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case_url = page.url
    reference = page.locator("h1").inner_text().split()[-1]
    assert reference in _message(page)
    person = page.locator("main table a[href^='/persons/']", has_text=flow.family)
    person_href = person.get_attribute("href").split("?")[0]  # from the case: "?case=ID"

    # Find them by the name written in the other script (stating why first); open the person
    # (asked again: opened from the search, not from a case), then their case.
    page.locator("header nav a[href='/persons/']").click()
    page.wait_for_url("**/persons/")
    _check(page, flow, "purpose")
    page.check("input[name=kind][value=identification]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/persons/")
    page.fill("#id_q", flow.search)
    page.locator("main form button[type=submit]").click()
    found = page.locator(f"#results a[href='{person_href}']")
    found.wait_for()
    assert found.inner_text() == f"{flow.given} {flow.family}"
    assert "q=" not in page.url and flow.search not in page.url, "the name stays out of the URL"
    _check(page, flow, "person-search")
    found.click()
    page.wait_for_url(f"**{person_href}")
    page.check("input[name=kind][value=identification]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{person_href}")
    assert page.locator("h1").inner_text() == f"{flow.given} {flow.family}"
    assert page.locator(f"main a[href='{case_url.removeprefix(node.url)}']").count() == 1
    _check(page, flow, "person")

    # Open the case from the case list, filtered by its reference.
    page.locator("header nav a[href='/cases/']").click()
    page.wait_for_url("**/cases/")
    page.fill("#id_reference", reference)
    with page.expect_navigation():  # the filters are posted: no name or reference in the URL
        page.locator("main form button[type=submit]").click()
    assert "reference=" not in page.url
    _check(page, flow, "case-list")
    page.locator("main table a", has_text=reference).click()
    page.wait_for_url(case_url)

    # Change its status.
    option = page.locator("#id_status option").first
    new_status = option.inner_text()
    page.select_option("#id_status", option.get_attribute("value"))
    page.fill("#id_reason", "Checked by the browser test.")
    page.locator("form.inline button[type=submit]").click()
    page.wait_for_url(case_url)
    assert page.locator("dl.facts dd").first.inner_text() == new_status
    assert page.locator("ol.history li").count() == 2
    assert "Checked by the browser test." in page.locator("ol.history").inner_text()
    _check(page, flow, "case", full_page=True)

    # Log out: back on the log-in page, and the case is out of reach.
    page.locator("header .who button[type=submit]").click()
    page.wait_for_url("**/login/")
    page.goto(case_url)
    assert "/login/" in page.url

"""axe-core on every main page (no serious or critical WCAG 2 A/AA violation), and every main
page usable at 360 px wide (no horizontal scrolling of the page itself)."""

import re

import pytest

from tests.browser.browserkit import describe, horizontal_overflow, run_axe, screenshot

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}
NARROW_SCREENSHOTS = {"home": "en-360-home", "register": "en-360-registration",
                      "statistics places": "en-360-statistics-places"}
# The pages of the referral mechanism, statistics, releases and exchange, at full width.
WIDE_SCREENSHOTS = {"victim file": "en-victim-file", "screening": "en-screening",
                    "referrals": "en-referrals", "shelter capacity": "en-shelter-capacity",
                    "statistics places": "en-statistics-places",
                    "statistics trends": "en-statistics-trends",
                    "statistics indicators": "en-statistics-indicators",
                    "releases": "en-releases", "release catalogue": "en-release-catalogue",
                    "cross-border requests": "en-exchange-requests"}


def _first_case(page):
    page.goto("/cases/")
    page.locator("main table a[href^='/cases/']").first.click()
    page.wait_for_url("**/cases/*/")


def _first_person(page):
    _first_case(page)  # from the case page: the person page carries the case's purpose
    page.locator("main table a[href^='/persons/']").first.click()
    page.wait_for_url(re.compile(r"/persons/\d+/\?case=\d+$"))


def _state_purpose(page, kind="identification"):
    """The purpose of access form (a page opened without a case asks it first)."""
    page.check(f"input[name=kind][value={kind}]")
    page.locator("main form button[type=submit]").click()


def _purpose_with_errors(page):
    page.goto("/persons/")
    _state_purpose(page, "other")
    page.locator(".field.invalid").first.wait_for()


def _person_edit(page):
    _first_person(page)
    page.locator("main a[href$='/edit/']").click()
    page.wait_for_url("**/persons/*/edit/")


def _person_edit_with_errors(page):
    _person_edit(page)
    page.fill("#id_given_names", "")
    page.fill("#id_family_name", "D1gits")
    page.locator("main form.register button[type=submit]").click()
    page.locator(".field.invalid").first.wait_for()


def _search_with_results(page):
    _first_person(page)
    family = page.locator("h1").inner_text().split()[-1]
    page.goto("/persons/")
    _state_purpose(page)
    page.wait_for_url("**/persons/")
    page.fill("#id_q", family)
    page.locator("main form button[type=submit]").click()
    page.locator("#results table a").first.wait_for()


def _close_confirmation(page):
    _first_case(page)
    page.select_option("#id_status", "closed")
    page.locator("form.inline button[type=submit]").click()
    page.locator("input[name=confirmed]").wait_for(state="attached")


def _register_with_errors(page):
    page.goto("/register/")
    page.locator("form.register button[type=submit]").click()
    page.locator(".field.invalid").first.wait_for()


def _first_file(page):
    """A victim file with a due or overdue timer, from the case worker's home page."""
    page.goto("/")
    page.locator("main div[aria-labelledby=home-timers] a").first.click()
    page.wait_for_url("**/assistance/files/*/")


def _screening(page):
    _first_file(page)
    page.locator("main a[href$='/screening/']").click()
    page.wait_for_url("**/screening/")


def _assistance_case(page):
    _first_file(page)
    page.locator("main a[href$='/assistance/']").first.click()
    page.wait_for_url("**/cases/*/assistance/")


def _case_page_of(tail, then=None):
    """A page of the investigator's first case (`tail` of its URL), `then` done on it."""
    def go(page):
        _first_case(page)
        page.goto(page.url + tail)
        if then:
            then(page)
    return go


def _submit_empty(page):
    page.locator("main form.register button[type=submit], main form[action$='/log/add/'] "
                 "button[type=submit]").first.click()
    page.locator(".field.invalid").first.wait_for()


def _best_interests(page):
    _first_file(page)
    page.goto(page.url + "best-interests/")


def _account_edit(page):
    page.goto("/manage/accounts/")
    page.locator("main table a[href^='/manage/accounts/']").first.click()
    page.wait_for_url("**/manage/accounts/*/")


# name -> (user or None for anonymous, how to get there)
def _first_referral(page):
    page.goto("/referrals/")
    page.locator("main table a[href^='/referrals/']").first.click()
    page.wait_for_url("**/referrals/*/")


def _shelter_change(page):
    page.goto("/shelters/ours/")
    page.locator("main table a").first.click()
    page.wait_for_url("**/change/")


def _import_preview(page):
    """The sample register uploaded with the shipped mapping: its preview and start button."""
    from crossroads.imports.mapping import SAMPLE

    page.goto("/imports/")
    page.set_input_files("#id_file", str(SAMPLE.with_name("ngo_register_sample.csv")))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/imports/*/")


def _first_alert(page):
    page.goto("/oversight/")
    page.locator("main table a[href^='/oversight/alerts/']").first.click()
    page.wait_for_url("**/oversight/alerts/*/")


def _first_inquiry(page):
    page.goto("/oversight/inquiries/")
    page.locator("main table a[href^='/oversight/inquiries/']").first.click()
    page.wait_for_url("**/oversight/inquiries/*/")


def _monitor_cycle(page):
    page.goto("/monitor/cycles/")
    page.locator("main table a").first.click()


def _monitor_assessment(page):
    _monitor_cycle(page)
    page.locator("main table a[href^='/monitor/assessments/']").first.click()


def _first_campaign(page):
    page.goto("/campaigns/")
    page.click("table a")
    page.wait_for_selector("canvas[data-chart]")


def _campaign_with_errors(page):
    page.goto("/campaigns/new/")
    page.click("form.narrow button[type=submit]")
    page.wait_for_selector(".error-summary")


def _offence_entry_with_errors(page):
    page.goto("/offences/?unchecked=1")
    page.locator("main table a").first.click()
    page.fill("#id_title", "")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector(".error-summary")


def _field_app(page):
    page.goto("/field/")
    page.locator("#setup-pin").wait_for()


PAGES = {
    "login": (None, lambda page: page.goto("/login/")),
    "home": ("al_investigator", lambda page: page.goto("/")),
    "case list": ("al_investigator", lambda page: page.goto("/cases/?status=open")),
    "case page": ("al_investigator", _first_case),
    "close confirmation": ("al_investigator", _close_confirmation),
    "register": ("al_investigator", lambda page: page.goto("/register/")),
    "register with errors": ("al_investigator", _register_with_errors),
    "person search": ("al_investigator", _search_with_results),
    "person page": ("al_investigator", _first_person),
    # Another account: the server keeps a stated purpose in the session the tests share.
    "purpose of access": ("al_focal_point", lambda page: page.goto("/persons/")),
    "purpose of access with errors": ("al_focal_point", _purpose_with_errors),
    "person edit": ("al_investigator", _person_edit),
    "person edit with errors": ("al_investigator", _person_edit_with_errors),
    "API tokens": ("al_investigator", lambda page: page.goto("/account/tokens/")),
    "audit log": ("al_oversight", lambda page: page.goto("/audit/")),
    "regional statistics (node)": ("al_analyst", lambda page: page.goto("/regional/")),
    "accounts": ("al_administrator", lambda page: page.goto("/manage/accounts/")),
    "account form": ("al_administrator", lambda page: page.goto("/manage/accounts/new/")),
    "account edit": ("al_administrator", _account_edit),
    "agencies": ("al_administrator", lambda page: page.goto("/manage/agencies/")),
    "case worker home": ("al_case_worker", lambda page: page.goto("/")),
    "coordinator home": ("al_coordinator", lambda page: page.goto("/")),
    "oversight home": ("al_oversight", lambda page: page.goto("/")),
    "audit log about a case": ("al_oversight", lambda page: page.goto(
        "/audit/?action=read_identity&date_from=01/01/2024")),
    "focal point home": ("al_focal_point", lambda page: page.goto("/")),
    "victim file": ("al_case_worker", _first_file),
    "screening": ("al_case_worker", _screening),
    "best interests": ("al_case_worker", _best_interests),
    "assistance case page": ("al_case_worker", _assistance_case),
    "referrals": ("al_case_worker", lambda page: page.goto("/referrals/")),
    "referral page": ("al_case_worker", _first_referral),
    "timers": ("al_coordinator", lambda page: page.goto("/timers/")),
    "break-glass grants": ("al_oversight", lambda page: page.goto("/break-glass/")),
    "approvals": ("al_administrator", lambda page: page.goto("/manage/approvals/")),
    "agency form": ("al_administrator", lambda page: page.goto("/manage/agencies/new/")),
    "password change": ("al_investigator", lambda page: page.goto("/account/password/")),
    "duplicates": ("al_investigator", lambda page: page.goto("/duplicates/")),
    "shelter capacity": ("al_coordinator", lambda page: page.goto("/shelters/")),
    "our shelters": ("al_case_worker", lambda page: page.goto("/shelters/ours/")),
    "imports": ("al_case_worker", lambda page: page.goto("/imports/")),
    "import preview": ("al_case_worker", _import_preview),
    "import for another agency": ("al_coordinator", lambda page: page.goto("/imports/")),
    "shelter change": ("al_case_worker", _shelter_change),
    "protection timers": ("al_coordinator", lambda page: page.goto("/manage/protection/")),
    **{f"statistics {name}": ("al_coordinator", lambda page, n=name: page.goto(f"/statistics/{n}/"))
       for name in ("victims", "exploitation", "places", "trends", "funnel", "indicators",
                    "justice")},
    "releases": ("al_coordinator", lambda page: page.goto("/releases/")),
    "release catalogue": ("al_analyst", lambda page: page.goto("/releases/catalogue/")),
    "cross-border hits": ("al_focal_point", lambda page: page.goto("/exchange/hits/")),
    "cross-border requests": ("al_focal_point", lambda page: page.goto("/exchange/requests/")),
    "case team": ("al_investigator", _case_page_of("team/")),
    "add a person to a case": ("al_investigator", _case_page_of("persons/new/")),
    "add a person with errors": ("al_investigator", _case_page_of("persons/new/", _submit_empty)),
    "handling code and owner": ("al_investigator", _case_page_of("handling/")),
    "case log": ("al_investigator", _case_page_of("log/")),
    "case log with errors": ("al_investigator", _case_page_of("log/", _submit_empty)),
    "proceedings": ("al_investigator", _case_page_of("proceedings/")),
    "markers": ("al_investigator", _case_page_of("markers/")),
    "access alerts": ("al_oversight", lambda page: page.goto("/oversight/")),
    "access alert": ("al_oversight", _first_alert),
    "alerts per agency and month": ("al_oversight", lambda page: page.goto("/oversight/dashboard/")),
    "inquiries": ("al_oversight", lambda page: page.goto("/oversight/inquiries/")),
    "inquiry": ("al_oversight", _first_inquiry),
    "complaint form": ("al_oversight", lambda page: page.goto("/oversight/inquiries/complaint/")),
    "alert thresholds": ("al_oversight", lambda page: page.goto("/oversight/thresholds/")),
    "who searched for a name": ("al_oversight", lambda page: page.goto("/oversight/searches/")),
    "who saw a person": ("al_oversight", lambda page: page.goto("/oversight/persons/1/access/")),
    "obligation catalogue": ("al_coordinator", lambda page: page.goto("/monitor/obligations/")),
    "obligation entry": ("al_coordinator", lambda page: page.goto(
        "/monitor/obligations/cets197-13-1/")),
    "review cycles": ("al_coordinator", lambda page: page.goto("/monitor/cycles/")),
    "review cycle": ("al_coordinator", _monitor_cycle),
    "assessment (NGO)": ("al_hotline_operator", _monitor_assessment),
    "training": ("al_coordinator", lambda page: page.goto("/monitor/training/")),
    "offence catalogue": ("al_coordinator", lambda page: page.goto("/offences/")),
    "offence catalogue entry with errors": ("al_coordinator", _offence_entry_with_errors),
    "campaigns": ("al_coordinator", lambda page: page.goto("/campaigns/")),
    "campaign report": ("al_coordinator", _first_campaign),
    "campaign form": ("al_coordinator", lambda page: page.goto("/campaigns/new/")),
    "campaign form with errors": ("al_coordinator", _campaign_with_errors),
    "case network": ("al_investigator", _case_page_of("network/")),
    "FtM import": ("al_investigator", _case_page_of("network/ftm/")),
    "call records import": ("al_investigator", _case_page_of("network/calls/")),
    "bank statement import": ("al_investigator", _case_page_of("network/statements/")),
    "trafficking routes": ("al_investigator", lambda page: page.goto("/network/corridors/")),
    "field app": ("al_case_worker", _field_app),
    "field submissions": ("al_case_worker", lambda page: page.goto("/field/submissions/")),
    "my calls": ("al_hotline_operator", lambda page: page.goto("/hotline/calls/")),
}


def _open(new_page, sessions, name):
    user, go = PAGES[name]
    page = new_page(storage_state=sessions(user) if user else None)
    go(page)
    assert page.url.split("?")[0].endswith("/login/") == (user is None), f"{name}: not logged in"
    return page


@pytest.mark.parametrize("name", PAGES)
def test_accessible_and_usable_at_360_px(new_page, sessions, name):
    page = _open(new_page, sessions, name)
    violations = run_axe(page)
    assert not violations, f"{name} ({page.url}):\n{describe(violations)}"
    if name in WIDE_SCREENSHOTS:
        screenshot(page, WIDE_SCREENSHOTS[name])
    page.set_viewport_size(NARROW)
    assert horizontal_overflow(page) <= 1, f"{name} ({page.url}) scrolls sideways at 360 px"
    if name in NARROW_SCREENSHOTS:
        screenshot(page, NARROW_SCREENSHOTS[name])
    violations = run_axe(page)
    assert not violations, f"{name} at 360 px ({page.url}):\n{describe(violations)}"

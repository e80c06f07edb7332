"""Issue 15's browser story: an investigator builds a case with two victims and two suspects,
adds a prosecutor (and the shelter's case worker) to the team, logs an arrest with an evidence
file; the prosecutor, logged in separately with the second factor, records indictment, verdict
and sentence. The pages then show it all, and the case worker sees no suspect."""

import hashlib
import re

import pytest

from tests.browser.browserkit import checked as _clean
from tests.browser.browserkit import log_in
from tests.browser.browserkit import submit as _submit

pytestmark = pytest.mark.browser

VICTIMS = [("Lirije", "Dervishaj", "1999-03-14"), ("Elona", "Kapllani", "2002-11-02")]
SUSPECTS = [("Ilir", "Tafaj", "1978-06-21"), ("Dritan", "Sejdini", "1983-01-30")]
EVIDENCE = b"Arrest report: two suspects detained at the Han i Hotit crossing.\n"


def _add_person(page, case_url, given, family, born, role, sex):
    page.goto(case_url)
    page.locator("main a[href$='/persons/new/']").click()
    page.wait_for_url("**/persons/new/")
    page.fill("#id_given_names", given)
    page.fill("#id_family_name", family)
    page.select_option("#id_sex", sex)
    page.fill("#id_birth_date", born)
    page.select_option("#id_role", role)
    _submit(page, page.locator("form.register"))
    assert page.url == case_url, page.url


def _in_english(page):
    """The account may remember another language (the main flow logs the prosecutor in in
    Albanian): the story reads English pages."""
    if page.locator("html").get_attribute("lang") != "en":
        page.select_option("#language-select", "en")
        with page.expect_navigation():
            page.locator("form.lang button[type=submit]").click()


def _move(page, stage, on, **fields):
    section = page.locator("section.proceeding").first
    section.locator("select[name$='-stage']").select_option(stage)
    section.locator("input[name$='-on']").fill(on)
    for name, value in fields.items():
        control = section.locator(f"[name$='-{name}']")
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    _submit(page, section.locator("form"))
    assert "Stage recorded." in page.locator("main .message").first.inner_text()


def test_an_investigation_from_suspects_to_sentence(new_page, sessions, node):
    # The investigator registers the first victim: the case is opened, they lead it.
    page = new_page(storage_state=sessions("al_investigator"))
    page.goto("/register/")
    given, family, born = VICTIMS[0]
    page.fill("#id_given_names", given)
    page.fill("#id_family_name", family)
    page.select_option("#id_sex", "F")
    page.fill("#id_birth_date", born)
    page.check("input[name=forms_of_exploitation][value=sexual]")
    page.select_option("#id_country_of_exploitation", "AL")
    _submit(page, page.locator("form.register"))
    assert re.search(r"/cases/\d+/$", page.url)
    case_url = page.url
    case_path = case_url.removeprefix(node.url)

    # The second victim and two suspects, from the case page.
    _add_person(page, case_url, *VICTIMS[1], role="victim", sex="F")
    for suspect in SUSPECTS:
        _add_person(page, case_url, *suspect, role="suspect", sex="M")
    page.goto(case_url)
    persons = page.locator("main table").first.inner_text()
    for given, family, _born in VICTIMS + SUSPECTS:
        assert f"{given} {family}" in persons
    assert persons.count("Suspect") == 2 and persons.count("Victim") == 2
    _clean(page, "investigation-case")

    # The team: the prosecutor, and the shelter's case worker as NGO contact.
    page.locator(f"main a[href='{case_path}team/']").click()
    for username, part in (("al_prosecutor", "prosecutor"), ("al_case_worker", "ngo_contact")):
        page.fill("#id_username", username)
        page.select_option("#id_team_role", part)
        _submit(page, page.locator("main form[action$='/team/add/']"))
    members = page.locator("main table").inner_text()
    assert re.search(r"al_prosecutor\s+Prosecutor", members)
    assert re.search(r"al_case_worker\s+NGO contact", members)
    assert "Added to the team: al_prosecutor (Prosecutor)" in page.locator("ol.history").inner_text()
    _clean(page, "investigation-team")

    # The case log: an arrest, with the arrest report attached.
    page.goto(f"{case_path}log/")
    page.select_option("#id_kind", "arrest")
    page.fill("#id_occurred_on", "2025-02-03")
    page.fill("#id_participants", "Border police unit 4")
    page.fill("#id_narrative", "Both suspects arrested at the border crossing.")
    _submit(page, page.locator("main form[action$='/log/add/']"))
    entry = page.locator("article.event").first
    assert "Arrest" in entry.locator("h3").inner_text()
    entry.locator("input[type=file]").set_input_files(
        {"name": "arrest-report.txt", "mimeType": "text/plain", "buffer": EVIDENCE})
    _submit(page, entry.locator("form"))
    entry = page.locator("article.event").first
    assert hashlib.sha256(EVIDENCE).hexdigest() == entry.locator("code.sha").inner_text()
    with page.expect_download() as download:
        entry.locator("a", has_text="arrest-report.txt").click()
    assert download.value.path().read_bytes() == EVIDENCE
    _clean(page, "investigation-log")

    # The prosecutor, logged in on their own (password and second factor), takes it to court.
    court = new_page()
    log_in(court, node.login("al_prosecutor"))
    court.goto(case_url)
    _in_english(court)
    court.locator(f"main a[href='{case_path}proceedings/']").click()
    court.wait_for_url(f"**{case_path}proceedings/")
    court.select_option("#id_open-person_id", label=f"{SUSPECTS[0][0]} {SUSPECTS[0][1]} (Suspect)")
    court.select_option("#id_open-offence", "thb")
    court.fill("#id_open-investigation_opened_on", "2025-02-03")
    court.fill("#id_open-compensation_claimed_eur", "15000")
    _submit(court, court.locator("main form[action$='/proceedings/open/']"))
    _move(court, "indictment", "2025-04-10")
    _move(court, "verdict", "2025-09-22", verdict="convicted")
    _move(court, "sentence", "2025-09-22", custodial_months="96", fine_eur="20000",
          compensation_awarded_eur="12000")
    _clean(court, "investigation-proceedings")
    shown = court.locator("section.proceeding").first
    facts = shown.locator("dl.facts").inner_text()
    assert f"{SUSPECTS[0][0]} {SUSPECTS[0][1]}" in shown.locator("h2").inner_text()
    assert "Sentence" in facts and "Convicted" in facts and "96 months" in facts
    assert "15000" in facts and "12000" in facts and "20000" in facts
    stages = shown.locator("ol.history").inner_text()
    for stage in ("Investigation", "Indictment", "First-instance verdict: Convicted", "Sentence"):
        assert stage in stages

    # The case worker of the shelter, on the team, sees both victims and no suspect.
    shelter = new_page(storage_state=sessions("al_case_worker"))
    shelter.goto(case_url)
    seen = shelter.locator("main").inner_text()
    for given, family, _born in VICTIMS:
        assert f"{given} {family}" in seen
    for given, family, _born in SUSPECTS:
        assert given not in seen and family not in seen
    assert "Suspect" not in shelter.locator("main table").first.inner_text()
    assert shelter.locator(f"main a[href='{case_path}proceedings/']").count() == 0
    response = shelter.goto(f"{case_path}proceedings/")
    assert response.status == 403
    _clean(shelter, "investigation-case-worker")

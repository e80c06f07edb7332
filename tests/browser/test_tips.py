"""An anonymous reporter with JavaScript off files in Albanian, keeps the receipt, returns,
reads the police's question and answers it; the police open a case from the report; the node's
database then holds no address and no browser agent of the reporter. The public form passes
axe and fits 360 px."""

import re
import sqlite3

import pytest

from tests.browser.browserkit import describe, horizontal_overflow, run_axe

pytestmark = pytest.mark.browser

AGENT = "TipsReporterAgent/9.9 (hardened)"
TEXT = ("Në punishten pranë stacionit të autobusëve mbyllen natën punëtorë të rinj; "
        "Arbeni thotë se nuk paguhen.")


def _reporter(browser, node):
    context = browser.new_context(java_script_enabled=False, user_agent=AGENT, base_url=node.url,
                                  viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    return context


def _holds(database, query: str, needle: str) -> bool:
    return any(needle in " ".join(map(str, row)) for row in database.execute(query))


def _newest_report(page) -> str:
    page.goto("/reports/")
    links = page.locator("main table a[href^='/reports/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    return max(hrefs, key=lambda href: int(href.strip("/").split("/")[-1]))


def test_anonymous_report_conversation_and_case(browser, node, new_page, sessions):
    reporter = _reporter(browser, node)
    page = reporter.new_page()
    page.goto("/report/?lang=sq")
    assert page.locator("html").get_attribute("lang") == "sq"
    page.fill("#id_text", TEXT)
    page.select_option("#id_municipality", "AL:Tiranë")
    page.check("input[name=urgency][value=danger]")
    page.check("input[name=affected][value=children]")
    page.locator("main form button[type=submit]").click()
    assert "Raportimi juaj u mor" in page.content()
    receipt = page.locator("#receipt").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", receipt)
    assert reporter.cookies() == []

    police = new_page(storage_state=sessions("al_investigator"))
    href = _newest_report(police)
    police.goto(href)
    assert "Arbeni" in police.content()
    police.fill("#id_text", "Sa vjeç janë dhe në cilën rrugë?")
    police.locator("main form button[type=submit]").first.click()
    police.wait_for_url(f"**{href}")

    page.goto("/report/return/?lang=sq")
    page.fill("#id_receipt", receipt.lower())
    page.locator("main form button[type=submit]").click()
    assert "Sa vjeç janë dhe në cilën rrugë?" in page.content()
    page.fill("#id_text", "Rreth 15 vjeç, rruga e Kavajës.")
    page.locator("main form button[type=submit]").click()
    assert "Rreth 15 vjeç" in page.content()
    assert reporter.cookies() == []
    reporter.close()

    police.goto(href)
    assert "Rreth 15 vjeç" in police.content()
    police.locator("form:has(input[name=step][value=new_case]) button").click()
    police.wait_for_url(f"**{href}")
    reference = police.locator("main dd a[href^='/cases/']").inner_text()
    assert reference

    database = sqlite3.connect(node.data_dir / "crossroads.sqlite3")
    try:
        tables = [row[0] for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")]
        # The agent is the reporter's alone: nowhere. The address is shared with the staff on
        # loopback (their log-ins keep it, django-axes): nowhere in the reports, their
        # messages, or the audit entries without an actor (the reporter's).
        with_agent = [t for t in tables
                      if _holds(database, f'SELECT * FROM "{t}"', AGENT[:17])]  # noqa: S608
        assert not with_agent, f"the reporter's agent is stored in {with_agent}"
        for query in ("SELECT * FROM tips_report", "SELECT * FROM tips_message",
                      "SELECT * FROM audit_auditentry WHERE actor_id IS NULL"
                          " AND action <> 'login_failed'"):
            assert not _holds(database, query, "127.0.0.1"), query
        case_row = database.execute("SELECT case_id FROM tips_report WHERE case_id IS NOT NULL "
                                    "ORDER BY id DESC LIMIT 1").fetchone()
        assert case_row is not None
    finally:
        database.close()


def test_public_pages_pass_axe_and_fit_360(new_page):
    page = new_page(viewport={"width": 360, "height": 740})
    for path in ("/report/?lang=sq", "/report/?lang=sr-cyrl", "/report/return/?lang=mk"):
        page.goto(path)
        violations = run_axe(page)
        assert not violations, f"{path}:\n{describe(violations)}"
        assert horizontal_overflow(page) <= 0, path
    page.goto("/report/?lang=en")
    page.locator("main form button[type=submit]").click()  # every mistake named
    assert not run_axe(page)
    assert horizontal_overflow(page) <= 0


def test_triage_pages_pass_axe(new_page, sessions):
    page = new_page(storage_state=sessions("al_investigator"))
    page.goto("/reports/")
    assert not run_axe(page), describe(run_axe(page))
    page.goto(_newest_report(page))
    violations = run_axe(page)
    assert not violations, describe(violations)


def test_duplicate_groups_and_my_calls_pass_axe(new_page, sessions):
    page = new_page(storage_state=sessions("al_investigator"))
    for text in ("the driver Ardit Hoxha takes girls across the border at night",
                 "шофер Ардит Хоџа вози девојке преко границе"):
        answer = page.request.post("/api/v1/public/reports", data={
            "text": text, "municipality": "AL:Korçë", "language": "sq"})
        assert answer.status == 201, answer.text()
    page.goto("/reports/")
    group = page.locator("main .duplicate-group", has_text="Ардит Хоџа")
    assert group.count() == 1 and "shared names" in group.first.inner_text()
    violations = run_axe(page)
    assert not violations, describe(violations)
    operator = new_page(storage_state=sessions("al_hotline_operator"),
                        viewport={"width": 360, "height": 740})
    operator.goto("/hotline/calls/?state=new")
    violations = run_axe(operator)
    assert not violations, describe(violations)
    assert horizontal_overflow(operator) <= 0

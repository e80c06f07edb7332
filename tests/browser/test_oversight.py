"""The oversight account of the demo meets an insider: the alert list shows the alert about the
investigator who read a suspect their own agency employs; the alert names the audit entries
behind it; the person's access report, downloaded as a PDF, lists who read them (pypdf)."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser


def test_oversight_sees_an_alert_its_entries_and_the_access_report(new_page, sessions):
    page = new_page(storage_state=sessions("al_oversight"))
    page.goto("/oversight/")
    row = page.locator("main table tr", has_text="al_investigator").filter(
        has_text="Suspect read by an account of the suspect's agency")
    assert row.count() == 1
    row.locator("a").first.click()
    page.wait_for_url("**/oversight/alerts/*/")
    entries = page.locator("main table").first
    assert "al_investigator" in entries.inner_text() and "person page" in entries.inner_text()
    # The entry names the person by number; their access report lists every read.
    entries.locator("a[href^='/oversight/persons/']").first.click()
    page.wait_for_url("**/oversight/persons/*/access/")
    assert "al_investigator" in page.locator("main table").inner_text()
    with page.expect_download() as download:
        page.locator("main a[href$='access.pdf']").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "al_investigator" in text and "person page" in text and "Who saw person" in text
    # Triage: under review, then the alert's page says so.
    page.go_back()
    page.wait_for_url("**/oversight/alerts/*/")
    page.select_option("#id_status", "under_review")
    page.locator("main form", has=page.locator("#id_status")).locator("button").click()
    page.wait_for_url("**/oversight/alerts/*/")
    assert "Under review" in page.locator("main dl").inner_text()

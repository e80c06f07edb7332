"""A coordinator opens this year's review cycle from last year's (the demo's closed one) and
opens it for comments; an NGO's hotline operator comments on an assessment; the coordinator
answers, closes the cycle and downloads the annual report in Serbian Cyrillic; the PDF's text
(read with pypdf) is Cyrillic and holds the comment and its answer. The monitor's pages pass
axe and fit 360 px (tests/browser/test_accessibility.py lists them)."""

import datetime
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.browserkit import describe, horizontal_overflow, run_axe

pytestmark = pytest.mark.browser

COMMENT = "Shelters still see courts ask victims about their consent."
ANSWER = "Taken into the recommendation to the judicial academy."


def test_review_cycle_consultation_and_annual_report(new_page, sessions):
    year = datetime.date.today().year
    coordinator = new_page(storage_state=sessions("al_coordinator"))
    coordinator.goto("/monitor/cycles/")
    assert str(year - 1) in coordinator.locator("main table").inner_text()
    coordinator.fill("#id_year", str(year))
    coordinator.fill("#id_title", f"Legal review {year}")
    assert coordinator.is_checked("#id_start_from_previous")
    coordinator.locator("main form[method=post] button[type=submit]").click()
    coordinator.wait_for_url("**/monitor/cycles/*/")
    cycle_url = coordinator.url
    assert f"{year - 1}" in coordinator.locator("#cycle-status").inner_text()  # started from
    # last year's assessment came over
    link = coordinator.locator("main table a", has_text="Palermo Protocol (2000), Art. 3(b)")
    assessment_url = link.get_attribute("href")
    row = coordinator.locator("main table tr", has=coordinator.locator(
        "a", has_text="Palermo Protocol (2000), Art. 3(b)"))
    assert "Criminal Code" in row.inner_text()
    coordinator.fill("#id_comments_until", datetime.date.today().isoformat())
    coordinator.locator("form:has(input[name=step][value=consultation]) button").click()
    coordinator.wait_for_url(cycle_url)
    assert "Open for comments" in coordinator.locator("#cycle-status").inner_text()

    ngo = new_page(storage_state=sessions("al_hotline_operator"))
    ngo.goto(assessment_url)
    ngo.fill("#id_text", COMMENT)
    ngo.locator("form:has(input[name=step][value=comment]) button").click()
    ngo.wait_for_url(f"**{assessment_url}")
    assert COMMENT in ngo.locator("main").inner_text()

    coordinator.goto(assessment_url)
    assert COMMENT in coordinator.locator("main").inner_text()
    coordinator.locator("textarea[name=answer]").fill(ANSWER)
    coordinator.locator("select[name=uptake]").select_option("taken_up")
    coordinator.locator("form:has(input[name=step][value=answer]) button").click()
    coordinator.wait_for_url(f"**{assessment_url}")
    assert ANSWER in coordinator.locator("main").inner_text()

    coordinator.goto(cycle_url)
    assert "1 comments from 1 agencies; 1 answered." in coordinator.locator(
        "#consultation-counts").inner_text()
    coordinator.locator("#close-cycle").click()
    coordinator.wait_for_url(cycle_url)
    assert "Closed" in coordinator.locator("#cycle-status").inner_text()

    coordinator.select_option("#id_language", "sr-cyrl")
    coordinator.select_option("#id_format", "pdf")
    with coordinator.expect_download() as download:
        coordinator.locator("#download-report").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
                    .split())  # lines wrap where the page is full
    for heading in ("Годишњи извештај", "Статистика под контролом откривања", "Препоруке",
                    "Консултације", "Правна процена"):
        assert heading in text, heading
    assert "Албанија" in text
    assert COMMENT in text and ANSWER in text   # the comment and answer as written

    # the new pages at 360 px, with axe (the wider list is in test_accessibility.py)
    for url in (cycle_url, assessment_url):
        coordinator.goto(url)
        coordinator.set_viewport_size({"width": 360, "height": 740})
        assert horizontal_overflow(coordinator) <= 1, url
        violations = run_axe(coordinator)
        assert not violations, f"{url}:\n{describe(violations)}"

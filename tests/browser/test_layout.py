"""Issue 21, point 9: layout in a real browser: a single checkbox beside its label, the language
selector on the header's first line at 1280 px, a header that leaves a phone its screen, the key
column of a wide table in view at 360 px, charts with distinct colours and stacked bars when a
year has many series."""

import re

import pytest

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_a_single_checkbox_sits_beside_its_label(new_page, sessions):
    page = new_page(viewport=WIDE, storage_state=sessions("al_oversight"))
    page.goto("/audit/")
    box, label = _box(page, "#id_break_glass"), _box(page, "label[for=id_break_glass]")
    assert box["x"] + box["width"] <= label["x"], "the checkbox is left of its label"
    middle = box["y"] + box["height"] / 2
    assert label["y"] <= middle <= label["y"] + label["height"], "and on the same line"


def test_the_header_keeps_the_language_on_its_first_line_and_is_short_on_a_phone(new_page, sessions):
    page = new_page(viewport=WIDE, storage_state=sessions("al_coordinator"))
    page.goto("/")
    brand, language = _box(page, ".top .brand"), _box(page, ".top .lang")
    assert language["y"] < brand["y"] + brand["height"], "the language selector wraps at 1280 px"
    page.set_viewport_size(PHONE)
    header = _box(page, "header.top")
    assert header["height"] <= PHONE["height"] / 4, f"the header takes {header['height']} px"


def test_the_key_column_stays_in_view_at_360_px(new_page, sessions):
    page = new_page(viewport=PHONE, storage_state=sessions("al_investigator"))
    page.goto("/cases/")
    wrap = page.locator("main .table-wrap").first
    before = _box(page, "main .table-wrap tbody td:first-child")
    wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    after = _box(page, "main .table-wrap tbody td:first-child")
    assert abs(after["x"] - before["x"]) <= 1, "the reference column scrolled away"


def test_charts_have_distinct_colours_and_stack_many_series(new_page, sessions):
    page = new_page(viewport=WIDE, storage_state=sessions("al_coordinator"))
    page.goto("/statistics/exploitation/")
    page.wait_for_function("document.querySelector('canvas[data-chart]') && window.Chart"
                           " && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    charts = page.evaluate("""() => [...document.querySelectorAll('canvas[data-chart]')]
        .map(c => Chart.getChart(c)).filter(Boolean).map(chart => ({
            type: chart.config.type, stacked: !!chart.options.scales.x.stacked,
            colours: chart.data.datasets.map(d => d.backgroundColor)}))""")
    assert charts
    for chart in charts:
        n = len(chart["colours"])
        assert len(set(chart["colours"])) == min(n, 12), chart
        if chart["type"] == "bar":
            assert chart["stacked"] == (n >= 7), chart
    assert any(c["stacked"] for c in charts), "means of control (many series) is stacked"


def _first_cell_suppressed(route):
    """The dashboard as the server sends it, with the first cell of its first chart suppressed
    (null, as `aggregates` leaves a hidden cell): the drawing is what is tested here."""
    response = route.fetch()
    html = response.text()
    start = html.index('<script id="chart-')
    head, tail = html[:start], html[start:]
    tail = re.sub(r'("cells": \[)\d+', r"\1null", tail, count=1)
    route.fulfill(response=response, body=head + tail)


def test_a_suppressed_cell_is_drawn_as_suppressed_not_as_a_zero(new_page, sessions):
    """Issue 21, point 2: a suppressed cell gets a "×" mark at its place, not an empty gap."""
    page = new_page(viewport=WIDE, storage_state=sessions("al_coordinator"))
    page.route("**/statistics/victims/", _first_cell_suppressed)
    page.goto("/statistics/victims/")
    page.wait_for_function("document.querySelector('canvas[data-chart]') && window.Chart"
                           " && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    first = page.evaluate("""() => {
        const chart = Chart.getChart(document.querySelector('canvas[data-chart]'));
        return {first: chart.data.datasets[0].data[0], marks: chart.$suppressed};
    }""")
    assert first == {"first": None, "marks": 1}
    others = page.evaluate("""() => [...document.querySelectorAll('canvas[data-chart]')].slice(1)
        .map(c => Chart.getChart(c)).filter(Boolean).map(chart => chart.$suppressed)""")
    assert others and all(marks == 0 for marks in others)  # a whole count draws no mark


def test_a_checkbox_group_takes_the_width_of_its_form(new_page, sessions):
    """A group of checkboxes (the forms of exploitation) is not squeezed into a narrow column
    beside the other fields: its fieldset spans the form's width."""
    page = new_page(viewport=WIDE, storage_state=sessions("al_investigator"))
    page.goto("/register/")
    group = page.locator(".field fieldset:has(input[type=checkbox])").first
    form = page.locator("main form").first
    assert group.bounding_box()["width"] >= 0.8 * form.bounding_box()["width"]

"""The registration form with the keyboard alone: skip link, every field reached in order with a
visible focus indicator, errors shown, then a registration that goes through."""

import re

import pytest

from tests.browser.browserkit import focused, tab_until

pytestmark = pytest.mark.browser

SUBMIT = "form.register button[type=submit]"


def _skip_to_content(page):
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["tag"] == "a" and skip["on_screen"] and skip["outline"], f"skip link not first: {skip}"
    page.keyboard.press("Enter")


def test_register_a_victim_with_the_keyboard_only(new_page, sessions):
    page = new_page(storage_state=sessions("rs_case_worker"))
    page.goto("/register/")
    fields = page.eval_on_selector_all(
        "form.register :is(input:not([type=hidden]), select, textarea, button)", "els => els.map(e => e.id)")

    # First try: only the given name, then Enter on the submit button.
    _skip_to_content(page)

    def given_name_only(stop):
        if stop["id"] == "id_given_names":
            page.keyboard.type("Vjosa")

    stops = tab_until(page, SUBMIT, given_name_only)
    assert stops[0]["id"] == "id_given_names", "the skip link leads to the form"
    reached = list(dict.fromkeys(stop["id"] for stop in stops))
    assert reached == fields, "Tab reaches every field of the form, in order"
    page.keyboard.press("Enter")
    page.locator(".field.invalid #id_family_name").wait_for()
    assert page.locator("form.register .error-summary a[href='#id_family_name']").count() == 1
    assert page.input_value("#id_given_names") == "Vjosa"

    # Second try: the family name, a sex chosen with the arrow keys, one form of exploitation
    # ticked with Space, then submit.

    def complete(stop):
        if stop["id"] == "id_family_name":
            page.keyboard.type("Rexhepi")
        elif stop["id"] == "id_sex":
            page.keyboard.press("ArrowDown")
        elif stop["id"] == "id_forms_of_exploitation_0":
            page.keyboard.press("Space")

    tab_until(page, SUBMIT, complete)
    assert page.is_checked("#id_forms_of_exploitation_0")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cases/\d+/(#main)?$"))  # the fragment of the skip link stays
    assert page.locator("main table a", has_text="Vjosa Rexhepi").count() == 1

"""Issue 21, point 7: the case page shows what was entered, each exploitation record under its
victim as the reader may see them (named for an identity reader, a number for a coordinator)."""

import re

from crossroads.access.choices import Role
from tests.web.test_pages import FORM


def _register(world):
    client = world.client(Role.CASE_WORKER)
    response = client.post("/register/", {
        **FORM, "forms_of_exploitation": ["sexual", "forced_labour"],
        "sexual_types": ["prostitution"], "labour_sectors": ["agriculture"],
        "means_of_control": ["debt_bondage", "threats"], "period_start": "2023-01-10",
        "period_end": "2023-06-30", "country_of_exploitation": "IT"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client, response.url


def test_the_case_page_shows_every_entry_under_the_named_victim(world):
    client, url = _register(world)
    page = client.get(url).content.decode()
    exploitation = page[page.index("<h2>Exploitation</h2>"):]
    assert re.search(r"<h3><a href=\"/persons/\d+/\?case=\d+\">Blerta Hoxha</a></h3>", exploitation)
    for shown in ["Sexual exploitation", "Forced labour", "Debt bondage", "Threats", "Agriculture",
                  "Italy", "10/01/2023", "30/06/2023"]:
        assert shown in exploitation, shown


def test_a_reader_without_identity_sees_the_entries_but_not_the_name(world):
    _client, url = _register(world)
    page = world.client(Role.COORDINATOR).get(url).content.decode()
    exploitation = page[page.index("<h2>Exploitation</h2>"):]
    assert "Blerta" not in page and "Hoxha" not in page
    assert re.search(r"<h3>Person #\d+</h3>", exploitation) and "Debt bondage" in exploitation

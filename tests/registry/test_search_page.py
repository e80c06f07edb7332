"""Issue 21, point 13: the name search posts its query (never in a URL), shows a Latin rendering
beside a Cyrillic name, and the cases and roles the reader may see."""

import re

from crossroads.access.choices import Role
from tests.conftest import state_purpose


def test_the_search_posts_and_shows_latin_cases_and_roles(world):
    client = state_purpose(world.client(Role.INVESTIGATOR, "RS"), "/persons/")
    form = client.get("/persons/").content.decode()
    assert re.search(r'<form method="post" id="person-search"', form)
    # A name in the query string is not searched (nor echoed): only a POST searches.
    assert "Петровић" not in client.get("/persons/", {"q": "Jelena Petrovic"}).content.decode()
    page = client.post("/persons/", {"q": "Jelena Petrovic"}).content.decode()
    row = re.search(r"<tr><td><a href=\"/persons/\d+/\">Јелена Петровић</a>(.*?)</tr>", page, re.S)
    assert row, page
    case = world.cases["RS-police"]
    assert '<span class="latin" lang="sr-Latn">Jelena Petrović</span>' in row.group(1)
    assert f'<a href="/cases/{case.pk}/">{case.reference}</a> Victim' in row.group(1)


def test_the_pager_posts_the_query_again(world):
    from crossroads.registry import services
    from tests.conftest import exploitation_input, person_input

    investigator = world.user(Role.INVESTIGATOR)
    for _ in range(26):
        services.register_victim(investigator, person_input(given="Arta", family="Berisha"),
                                 services.CaseInput(), exploitation_input())
    client = state_purpose(world.client(Role.INVESTIGATOR), "/persons/")
    first = client.post("/persons/", {"q": "Arta Berisha"}).content.decode()
    assert 'form="person-search" name="page" value="2"' in first and "?q=" not in first
    second = client.post("/persons/", {"q": "Arta Berisha", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second

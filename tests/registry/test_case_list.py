"""Issue 21, point 7: the case list shows each case's victims as the reader may see them and its
forms of exploitation, sorts by a whitelist of keys and searches free text (the reference, or a
victim's name through the blind index among the cases the reader may see), on the page and in
`GET /api/v1/cases`. Names shown are recorded as identity reads."""

import re

from crossroads.access.choices import Role
from crossroads.audit.models import Action, AuditEntry
from tests.conftest import search


def reads(user):
    return AuditEntry.objects.filter(actor=user.username, action=Action.READ_IDENTITY)


def rows(page: str) -> list[str]:
    return re.findall(r"<tr><td><a href=\"/cases/\d+/\">.*?</tr>", page, re.S)


def test_the_page_shows_victims_by_name_and_forms_and_records_the_read(world):
    investigator = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    page = world.client(Role.INVESTIGATOR).post("/cases/", {"q": "Drita Krasniqi"}).content.decode()
    [row] = rows(page)
    assert case.reference in row and "Drita Krasniqi" in row and "Sexual exploitation" in row
    assert "Besnik" not in row  # a suspect is not a victim
    entry = reads(investigator).latest("id")
    assert (entry.object_id, entry.details["via"]) == (str(victim.pk), "case list")


def test_a_reader_without_names_sees_person_numbers_and_no_read_is_recorded(world):
    coordinator = world.user(Role.COORDINATOR)
    victim = world.persons["AL-victim"]
    page = world.client(Role.COORDINATOR).get("/cases/").content.decode()
    assert f"Person #{victim.pk}" in page and "Drita" not in page
    assert not reads(coordinator).exists()
    # A name searched by someone who may not see names matches nothing: no name oracle.
    found = search(world.api(Role.COORDINATOR), "/api/v1/cases/search", {"q": "Drita Krasniqi"}).json()
    assert found["count"] == 0


def test_the_api_lists_victims_and_forms_in_the_page_envelope(world):
    api = world.api(Role.INVESTIGATOR)
    body = search(api, "/api/v1/cases/search", {"q": "Krasniqi", "limit": 5}).json()
    assert set(body) == {"count", "limit", "offset", "items"}
    [item] = body["items"]
    assert item["id"] == world.cases["AL-police"].pk and item["forms"] == ["sexual"]
    assert item["victims"] == [{"person_id": world.persons["AL-victim"].pk, "role": "victim",
                                "name": "Drita Krasniqi"}]
    unnamed = world.api(Role.COORDINATOR).get("/api/v1/cases", {"limit": 50}).json()["items"]
    assert unnamed and all(v["name"] is None for item in unnamed for v in item["victims"])


def test_reference_search_and_whitelisted_sorting(world):
    api = world.api(Role.INVESTIGATOR)
    case = world.cases["AL-police"]
    found = search(api, "/api/v1/cases/search", {"q": case.reference}).json()["items"]
    assert [i["id"] for i in found] == [case.pk]
    for key, field in [("reference", "reference"), ("opened", "opened_on"), ("status", "status")]:
        items = api.get("/api/v1/cases", {"sort": key}).json()["items"]
        assert [i[field] for i in items] == sorted(i[field] for i in items)
        backwards = api.get("/api/v1/cases", {"sort": f"-{key}"}).json()["items"]
        assert [i[field] for i in backwards] == sorted((i[field] for i in items), reverse=True)
    refused = api.get("/api/v1/cases", {"sort": "summary"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "sort"
    page = world.client(Role.INVESTIGATOR).get("/cases/", {"sort": "summary"}).content.decode()
    assert "Select a valid choice" in page


def test_a_name_in_the_url_is_not_searched(world):
    client = world.client(Role.INVESTIGATOR)
    assert rows(client.post("/cases/", {"q": "Nobody Atall"}).content.decode()) == []
    page = client.get("/cases/", {"q": "Nobody Atall"}).content.decode()
    assert len(rows(page)) == 1 and 'value="Nobody Atall"' not in page  # neither searched nor echoed


def test_an_attacker_searching_a_name_finds_nothing_and_learns_nothing(world):
    """An investigator outside an H3 case's team, and one of another jurisdiction, search the
    names of victims they may not see: the answer is the one for a name nobody has."""
    cases = [("AL", "Mira Shala"), ("RS", "Drita Krasniqi"), ("RS", "Mira Shala")]
    for jurisdiction, name in cases:
        api = world.api(Role.INVESTIGATOR, jurisdiction)
        nobody = search(api, "/api/v1/cases/search", {"q": "Nobody Atall"}).json()
        assert search(api, "/api/v1/cases/search", {"q": name}).json() == nobody
        assert (nobody["count"], nobody["items"]) == (0, [])
        client = world.client(Role.INVESTIGATOR, jurisdiction)
        searched = client.post("/cases/", {"q": name}).content.decode()
        shown = searched.split('id="case-filters"')[1].split("</form>", 1)[1]  # past their query
        assert rows(shown) == [] and "Shala" not in shown and "Krasniqi" not in shown
        assert not reads(world.user(Role.INVESTIGATOR, jurisdiction)).filter(
            details__via="case list").exists()


def test_a_break_glass_grant_names_its_case_on_the_list_and_the_read_cites_it(world):
    from crossroads.registry import break_glass

    coordinator = world.user(Role.COORDINATOR)
    case, other = world.cases["AL-police"], world.cases["AL-other"]
    grant = break_glass.open_grant(coordinator, case.pk,
                                   "Ombudsman complaint 2024/17: checking how the victim was referred.")
    items = {i["id"]: i for i in world.api(Role.COORDINATOR).get(
        "/api/v1/cases", {"limit": 50}).json()["items"]}
    assert items[case.pk]["victims"][0]["name"] == "Drita Krasniqi"
    assert items[other.pk]["victims"][0]["name"] is None
    entry = reads(coordinator).latest("id")
    assert entry.object_id == str(world.persons["AL-victim"].pk)
    assert entry.details["break_glass"] == [grant.pk]

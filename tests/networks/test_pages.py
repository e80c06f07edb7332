"""The pages of networks: a case's network (picture data and summary table), an entity, the
corridors, the FtM and call-record imports; and everyone who may not reach them."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.jobs.choices import JobStatus
from crossroads.jobs.worker import run_now
from crossroads.networks.models import Entity, FtmImport, Link
from crossroads.registry.models import ExploitationRecord

from ..investigations.pages import csrf_checked, unverified

SHARED = "+355 69 555 0101"
CASE_A = [
    {"id": "a-ilir", "schema": "Person", "properties": {"name": ["Ilir Tafaj"],
                                                        "phone": ["+355 69 111 2222"]}},
    {"id": "a-broker", "schema": "Person", "properties": {"name": ["Genc Broka"],
                                                          "phone": [SHARED]}},
    {"id": "a-assoc", "schema": "Associate", "properties": {"person": ["a-ilir"],
                                                            "associate": ["a-broker"],
                                                            "startDate": ["2025-02"]}},
]
CASE_B = [
    {"id": "b-dritan", "schema": "Person", "properties": {"name": ["Dritan Sejdini"],
                                                          "phone": ["+355 69 333 4444"]}},
]
CDR = ("caller,receiver,start,duration\n"
       f"{SHARED},+355693334444,2025-03-01T10:00:00,120\n"
       "+355693334444,not a number,2025-03-02,30\n"
       f"+355693334444,{SHARED},yesterday,10\n")


def jsonl(lines) -> bytes:
    return "\n".join(json.dumps(line) for line in lines).encode()


def upload(lines, name="net.json"):
    return SimpleUploadedFile(name, jsonl(lines) if isinstance(lines, list) else lines)


def ftm(client, case, lines, source="seized phone"):
    return client.post(f"/cases/{case.pk}/network/ftm/", {"file": upload(lines), "source": source})


def cdr(client, case, content=CDR, **mapping):
    return client.post(f"/cases/{case.pk}/network/calls/", {
        "file": SimpleUploadedFile("calls.csv", content.encode()), "caller": "caller",
        "receiver": "receiver", "start": "start", "duration": "duration",
        "source": "operator records", **mapping})


def elements(response) -> dict:
    html = response.content.decode()
    found = re.search(r'<script id="network-elements" type="application/json">(.*?)</script>',
                      html, re.S)
    return json.loads(found.group(1))


@pytest.fixture
def joined(world):
    """Case A imported from an FtM file, case B's suspect from another, and call records of
    case B in which case A's broker's phone calls case B's suspect."""
    client = world.client(Role.INVESTIGATOR)
    assert ftm(client, world.cases["AL-police"], CASE_A).status_code == 302
    # The investigator's second case: the H3 case is their colleague's, so they take another.
    case_b = world.cases["AL-police-b"] = _second_case(world)
    assert ftm(client, case_b, CASE_B).status_code == 302
    assert cdr(client, case_b).status_code == 200
    assert client.post(f"/cases/{case_b.pk}/network/calls/import/").status_code == 302
    return client


def _second_case(world):
    from crossroads.registry import services

    from ..conftest import exploitation_input, person_input

    _victim, case, _ = services.register_victim(
        world.user(Role.INVESTIGATOR), person_input(given="Arbana", family="Dushi"),
        services.CaseInput(), exploitation_input(country_of_recruitment="AL",
                                                 countries_of_transit=["ME"],
                                                 country_of_exploitation="IT"))
    return case


def test_the_network_page_draws_two_cases_joined_through_a_shared_phone(world, joined):
    case_a, case_b = world.cases["AL-police"], world.cases["AL-police-b"]
    response = joined.get(f"/cases/{case_b.pk}/network/")
    assert response.status_code == 200
    drawn = elements(response)
    labels = {n["label"]: n for n in drawn["nodes"]}
    # Case B's suspect, the subscriber of the shared number, and case A's broker beside them.
    assert {"Dritan Sejdini", "+355695550101", "Genc Broka"} <= set(labels)
    assert labels["Genc Broka"]["other_case"] and labels["Genc Broka"]["case"] == case_a.reference
    shared = [e for e in drawn["edges"] if e["schema"] == "shared"]
    assert [(e["source"], e["target"], e["kind"]) for e in shared] == [
        (labels["+355695550101"]["id"], labels["Genc Broka"]["id"], "phone")]
    assert [e["schema"] for e in drawn["edges"]].count("Call") == 1  # two rows were rejected
    # The brokers of every network the investigator sees: the broker joins the two suspects.
    html = response.content.decode()
    brokers = html[html.index('class="brokers"'):html.index("</ol>", html.index('class="brokers"'))]
    assert "Genc Broka" in brokers or "+355695550101" in brokers
    # The summary table lists what the picture draws, for the keyboard and screen readers.
    table = html[html.index('id="network-entities"'):html.index("</table>",
                                                                html.index('id="network-entities"'))]
    for name in ("Dritan Sejdini", "+355695550101", "Genc Broka"):
        assert name in table
    # No inline script: the page's own files, and the data as JSON blocks.
    scripts = re.findall(r"<script(?P<attrs>[^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert "cytoscape.min.js" in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert AuditEntry.objects.filter(action="read_identity", object_type="networks.entity",
                                     details__via="network page").exists()


def test_the_filters_narrow_the_links_by_type_and_period(world, joined):
    case_a = world.cases["AL-police"]
    page = f"/cases/{case_a.pk}/network/"
    assert [e["schema"] for e in elements(joined.get(page))["edges"]
            if e["schema"] != "shared"] == ["Associate"]
    assert not [e for e in elements(joined.get(page, {"schema": "Call"}))["edges"]
                if e["schema"] != "shared"]
    assert not [e for e in elements(joined.get(page, {"end": "2024"}))["edges"]
                if e["schema"] != "shared"]
    bad = joined.get(page, {"start": "March", "end": "2024"})
    assert bad.status_code == 200 and "Give a year, a month or a day" in bad.content.decode()


def test_the_entity_page_lists_links_and_what_other_cases_share(world, joined):
    broker = Entity.objects.get(ftm_id="a-broker")
    response = joined.get(f"/network/entities/{broker.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Genc Broka" in html and "Associate" in html and "Ilir Tafaj" in html
    shared = html[html.index('id="entity-shared"'):]
    assert "+355695550101" in shared and world.cases["AL-police-b"].reference in shared
    assert "Phone" in shared


def test_an_ftm_file_with_problems_names_every_line_and_writes_nothing(world):
    case = world.cases["AL-police"]
    client = world.client(Role.INVESTIGATOR)
    bad = [CASE_A[0], {"id": "x", "schema": "Person", "properties": {"phone": ["12"]}},
           {"id": "l", "schema": "Associate", "properties": {"person": ["a-ilir"],
                                                             "associate": ["nobody"]}}]
    response = ftm(client, case, bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert "lines.2.properties.phone" in html and "lines.3.properties.associate" in html
    assert not Entity.objects.filter(case=case).exists()
    response = ftm(client, case, b"\xff\xfe not text")
    assert response.status_code == 422 and "not UTF-8" in response.content.decode()
    assert ftm(client, case, CASE_A, source="").status_code == 422


def test_a_large_ftm_file_is_sealed_and_run_in_the_background(world, settings, monkeypatch):
    from crossroads.networks.services import imports

    monkeypatch.setattr(imports, "INLINE_BYTES", 10)
    monkeypatch.setattr("crossroads.networks.services.INLINE_BYTES", 10)
    case = world.cases["AL-police"]
    client = world.client(Role.INVESTIGATOR)
    response = ftm(client, case, CASE_A)
    queued = FtmImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/network/imports/{queued.pk}/"
    assert queued.sealed and not Entity.objects.exists()
    with open(queued.path, "rb") as sealed:
        assert b"Ilir" not in sealed.read()  # sealed with the keyring, never in clear
    assert run_now(queued.job).status == JobStatus.DONE
    queued.refresh_from_db()
    assert (queued.entities, queued.links) == (2, 1)
    assert not __import__("os").path.exists(queued.path)
    status = client.get(f"/network/imports/{queued.pk}/").content.decode()
    assert "seized phone" in status
    # Someone else's queued file is not theirs to see.
    assert world.client(Role.INVESTIGATOR, "RS").get(
        f"/network/imports/{queued.pk}/").status_code == 404


def test_call_records_preview_names_every_rejected_row_then_import_the_previewed_file(world):
    case = world.cases["AL-police"]
    client = world.client(Role.INVESTIGATOR)
    response = cdr(client, case)
    html = response.content.decode()
    assert response.status_code == 200 and not Link.objects.exists()  # a preview writes nothing
    rejected = html[html.index('id="cdr-errors"'):html.index("</table>", html.index('id="cdr-errors"'))]
    assert re.search(r">3</td><td>receiver</td><td>not a number is not a valid phone number", rejected)
    assert re.search(r">4</td><td>start</td><td>yesterday is not a date", rejected)
    assert "+355695550101" in html  # the row taken, in E.164
    assert cdr(client, case, receiver="called").status_code == 422  # a column the file lacks
    # The mapping that failed did not replace the preview: the import takes the previewed file.
    response = cdr(client, case)
    assert client.post(f"/cases/{case.pk}/network/calls/import/").status_code == 302
    assert Link.objects.filter(case=case, schema="Call").count() == 1
    # A second import of the same preview is refused (the sealed copy is gone).
    again = client.post(f"/cases/{case.pk}/network/calls/import/")
    assert again.status_code == 302 and Link.objects.filter(schema="Call").count() == 1


def test_the_corridors_page_counts_routes_per_year(world, joined):
    response = joined.get("/network/corridors/")
    html = response.content.decode()
    assert response.status_code == 200
    year = ExploitationRecord.objects.filter(country_of_exploitation="IT").get().year_of_registration
    row = re.search(r"Albania → Montenegro → Italy</th>(.*?)</tr>", html, re.S)
    assert row and f">{year}<" in html and ">1</td>" in row.group(1)
    # Investigators of another jurisdiction do not count this jurisdiction's cases.
    other = world.client(Role.INVESTIGATOR, "RS").get("/network/corridors/").content.decode()
    assert "Italy" not in other


def test_the_case_page_links_the_network_for_those_who_reach_it(world):
    case = world.cases["AL-police"]
    assert f"/cases/{case.pk}/network/" in world.client(Role.INVESTIGATOR).get(
        f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/network/" in world.client(Role.PROSECUTOR).get(
        f"/cases/{case.pk}/").content.decode()
    shelter = world.client(Role.CASE_WORKER).get(f"/cases/{case.pk}/")
    assert shelter.status_code == 200 and "/network/" not in shelter.content.decode()


PAGES = ["network/", "network/ftm/", "network/calls/", "network/statements/"]


@pytest.mark.parametrize("tail", PAGES)
@pytest.mark.parametrize("who", [Role.CASE_WORKER, Role.FOCAL_POINT, Role.COORDINATOR,
                                 Role.ANALYST, Role.OVERSIGHT, Role.ADMINISTRATOR,
                                 Role.HOTLINE_OPERATOR])
def test_other_roles_never_reach_a_network_page(world, who, tail):
    case = world.cases["AL-police"]
    response = world.client(who).get(f"/cases/{case.pk}/{tail}")
    assert response.status_code in {403, 404}, (who, tail)


@pytest.mark.parametrize("tail", PAGES)
@pytest.mark.parametrize("case_name, jurisdiction", [("RS-police", "AL"), ("AL-other", "AL"),
                                                     ("AL-h3", "AL"), ("AL-police", "RS")])
def test_other_cases_agencies_jurisdictions_and_h3_are_not_found(world, tail, case_name,
                                                                 jurisdiction):
    case = world.cases[case_name]
    client = world.client(Role.INVESTIGATOR, jurisdiction)
    assert client.get(f"/cases/{case.pk}/{tail}").status_code == 404


def test_the_refusals_of_entities_corridors_and_the_second_factor(world, joined):
    broker = Entity.objects.get(ftm_id="a-broker")
    for who in (Role.CASE_WORKER, Role.FOCAL_POINT, Role.COORDINATOR):
        assert world.client(who).get(f"/network/entities/{broker.pk}/").status_code in {403, 404}
        assert world.client(who).get("/network/corridors/").status_code == 403
    assert world.client(Role.INVESTIGATOR, "RS").get(
        f"/network/entities/{broker.pk}/").status_code == 404
    investigator = world.user(Role.INVESTIGATOR)
    for path in (f"/network/entities/{broker.pk}/", "/network/corridors/",
                 f"/cases/{world.cases['AL-police'].pk}/network/"):
        response = unverified(investigator).get(path)
        assert response.status_code == 302 and "/mfa/" in response["Location"]
        from django.test import Client

        response = Client().get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]
    # A prosecutor reads the network of a case they are on the team of, but imports nothing
    # only if their role may not change it; the case worker on the team never posts a file.
    prosecutor = world.client(Role.PROSECUTOR)
    assert prosecutor.get(f"/cases/{world.cases['AL-police'].pk}/network/").status_code == 200
    case = world.cases["AL-police"]
    assert ftm(world.client(Role.CASE_WORKER), case, CASE_B).status_code in {403, 404}
    assert cdr(world.client(Role.FOCAL_POINT), case).status_code in {403, 404}
    assert csrf_checked(investigator).post(f"/cases/{case.pk}/network/calls/import/").status_code \
        == 403
    assert not Entity.objects.filter(ftm_id="b-dritan", case=case).exists()

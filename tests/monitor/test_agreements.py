"""The agreements register: API and pages, who may write, bad input, the audit, and formal
cross-border requests that cite an agreement (in force, between the two jurisdictions)."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.exchange import services as exchange
from crossroads.exchange.envelope import open_sealed
from crossroads.exchange.models import ExchangeRequest, Hit, OutboxMessage, SharedReference
from crossroads.monitor import services
from crossroads.monitor.models import Agreement
from tests.exchange import conftest as exchange_fixtures

# the exchange's fixtures: the two nodes' identities, registered with each other
parties, registered = exchange_fixtures.parties, exchange_fixtures.registered
TODAY = timezone.localdate()
AGREEMENT = {
    "title": "Protocol on joint investigation teams AL–RS", "kind": "bilateral",
    "scope": ["joint_investigations", "data_exchange"], "status": "in_force",
    "signed_on": "2021-03-01", "in_force_on": "2021-06-01", "expires_on": None,
    "parties": [{"country": "AL", "agency": "State Police"}, {"country": "RS"}],
    "documents": [{"title": "Official gazette", "reference": "OG 45/2021"}],
    "notes": "Synthetic.",
}
URL = "/api/v1/monitor/agreements"


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def locs(response) -> set:
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


def record(world, jurisdiction="AL", **changes):
    data = {**AGREEMENT, **changes}
    return services.record_agreement(world.user(Role.COORDINATOR, jurisdiction),
                                     services.AgreementInput(
        title=data["title"], kind=data["kind"], scope=data["scope"], status=data["status"],
        signed_on=data["signed_on"] and datetime.date.fromisoformat(data["signed_on"]),
        in_force_on=data["in_force_on"] and datetime.date.fromisoformat(data["in_force_on"]),
        expires_on=data["expires_on"] and datetime.date.fromisoformat(data["expires_on"]),
        parties=[services.PartyInput(**p) for p in data["parties"]]))


def test_a_coordinator_records_reads_and_corrects_an_agreement_through_the_api(world):
    client = world.api(Role.COORDINATOR)
    created = post(client, AGREEMENT)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["in_force"] is True and body["jurisdiction"] == "AL"
    assert [p["country"] for p in body["parties"]] == ["AL", "RS"]
    assert body["documents"] == [{"title": "Official gazette", "reference": "OG 45/2021",
                                  "url": ""}]
    listed = client.get(URL + "?status=in_force&party=RS").json()
    assert set(listed) == {"count", "limit", "offset", "items"} and listed["count"] == 1
    assert client.get(URL + "?scope=victim_return").json()["count"] == 0
    assert client.get(URL + "?title=joint+investigation").json()["count"] == 1
    assert client.get(URL + "?limit=1&offset=1").json() == {"count": 1, "limit": 1,
                                                            "offset": 1, "items": []}
    one = client.get(f"{URL}/{body['id']}")
    assert one.headers["ETag"] == '"1"'
    changed = client.put(f"{URL}/{body['id']}", {**AGREEMENT, "status": "terminated"},
                         content_type="application/json", headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.json()["status"] == "terminated"
    assert changed.headers["ETag"] == '"2"'
    stale = client.put(f"{URL}/{body['id']}", {**AGREEMENT, "title": "Late"},
                       content_type="application/json", headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert Agreement.objects.get().title == AGREEMENT["title"]
    actions = list(AuditEntry.objects.filter(object_type="monitor.agreement")
                   .values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]


def test_readers_read_and_parties_see_it_but_only_the_recording_coordinator_writes(world):
    agreement = record(world)
    for role in (Role.ANALYST, Role.FOCAL_POINT, Role.CASE_WORKER):
        assert world.api(role).get(f"{URL}/{agreement.pk}").status_code == 200
        assert post(world.api(role), AGREEMENT).status_code == 403
        assert world.api(role).put(f"{URL}/{agreement.pk}", AGREEMENT,
                                   content_type="application/json").status_code == 403
    for role in (Role.ADMINISTRATOR, Role.OVERSIGHT):
        assert world.api(role).get(URL).status_code == 403
    # RS is a party: its coordinator reads it, and cannot change it
    rs = world.api(Role.COORDINATOR, "RS")
    assert rs.get(f"{URL}/{agreement.pk}").status_code == 200
    assert rs.put(f"{URL}/{agreement.pk}", AGREEMENT,
                  content_type="application/json").status_code == 403
    assert world.client(Role.COORDINATOR, "RS").post(
        f"/monitor/agreements/{agreement.pk}/edit/", {}).status_code == 403
    # an agreement of AL with Montenegro is not RS's to see
    other = record(world, parties=[{"country": "AL", "agency": ""}, {"country": "ME"}])
    assert rs.get(f"{URL}/{other.pk}").status_code == 404
    assert world.api(Role.ANALYST, "RS").get(URL).json()["count"] == 1
    agreement.refresh_from_db()
    assert agreement.version == 1


def test_bad_input_is_named_field_by_field_and_nothing_is_stored(world):
    client = world.api(Role.COORDINATOR)
    answer = post(client, {**AGREEMENT, "title": " ", "kind": "treaty", "scope": ["fishing"],
                           "signed_on": "2022-01-01", "in_force_on": "2021-01-01",
                           "expires_on": "2020-12-31",
                           "parties": [{"country": "QQ"}, {"country": "RS"}],
                           "documents": [{"title": "Text", "url": "javascript:alert(1)"}]})
    assert answer.status_code == 422
    assert locs(answer) == {"title", "kind", "scope", "in_force_on", "expires_on",
                            "parties.0.country", "documents.0.url"}
    # an in-force agreement needs its dates; my jurisdiction must be a party
    answer = post(client, {**AGREEMENT, "in_force_on": None,
                           "parties": [{"country": "ME"}, {"country": "RS"}]})
    assert locs(answer) == {"in_force_on", "parties"}
    answer = post(client, {**AGREEMENT, "signed_on": "not a date"})
    assert answer.status_code == 422 and "signed_on" in locs(answer)
    assert not Agreement.objects.exists()


def test_the_pages_list_filter_show_and_edit(world):
    client = world.client(Role.COORDINATOR)
    form = {"title": "MoU on victim return", "kind": "mou", "scope": ["victim_return"],
            "status": "signed", "signed_on": "2024-05-02", "country_0": "AL",
            "agency_0": "Ministry of Interior", "country_1": "MK", "doc_title_0": "Text",
            "doc_url_0": "https://example.org/mou.pdf"}
    bad = client.post("/monitor/agreements/new/", {**form, "country_1": "", "doc_url_0": "ftp:x"})
    assert bad.status_code == 422
    assert "An agreement has at least two parties." in bad.content.decode()
    saved = client.post("/monitor/agreements/new/", form)
    assert saved.status_code == 302
    item = Agreement.objects.get()
    page = client.get(saved.url).content.decode()
    assert "MoU on victim return" in page and "MK" in page and "https://example.org/mou.pdf" in page
    listing = client.get("/monitor/agreements/?status=signed&party=MK").content.decode()
    assert "MoU on victim return" in listing
    assert "MoU on victim return" not in client.get(
        "/monitor/agreements/?status=in_force").content.decode()
    edit = client.get(f"/monitor/agreements/{item.pk}/edit/").content.decode()
    assert 'value="Ministry of Interior"' in edit
    changed = client.post(f"/monitor/agreements/{item.pk}/edit/", {
        **form, "status": "in_force", "in_force_on": "2024-07-01", "version": "1"})
    assert changed.status_code == 302
    stale = client.post(f"/monitor/agreements/{item.pk}/edit/", {**form, "version": "1"})
    assert stale.status_code == 409
    item.refresh_from_db()
    assert item.status == "in_force" and item.version == 2
    analyst = world.client(Role.ANALYST)
    assert analyst.get("/monitor/agreements/").status_code == 200
    assert "Correct" not in analyst.get(f"/monitor/agreements/{item.pk}/").content.decode()
    assert analyst.post("/monitor/agreements/new/", form).status_code == 403


# ---- formal requests citing an agreement ----------------------------------------------------

def hit_for(person, remote="AL"):
    reference = SharedReference.objects.get_or_create(
        person=person, defaults={"jurisdiction_id": person.jurisdiction_id})[0]
    return Hit.objects.create(reference=reference, remote_reference=uuid.uuid4().hex,
                              remote_node=remote, remote_jurisdiction=remote, score=0.9)


REQUEST = {"purpose": "identify", "fields": ["given_names"], "handling_code": "H0",
           "deadline": (TODAY + datetime.timedelta(days=7)).isoformat()}


def test_a_formal_request_cites_an_agreement_in_force_between_the_two(world, registered):
    agreement = record(world)  # AL–RS, in force
    hit = hit_for(world.persons["RS-victim"])
    client = world.api(Role.FOCAL_POINT, "RS")
    with registered.acting_as("RS"):
        answer = client.post("/api/v1/exchange/requests", {
            **REQUEST, "hit_id": hit.pk, "agreement_id": agreement.pk},
            content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["agreement_id"] == agreement.pk
    assert AGREEMENT["title"] in answer.json()["agreement"]
    request = ExchangeRequest.objects.get()
    assert request.agreement == agreement and request.legal_basis == ""
    body = open_sealed(json.loads(OutboxMessage.objects.get(kind="request").envelope),
                       registered.identity("AL"))
    assert AGREEMENT["title"] in body["legal_basis"]   # the owner reads the citation
    page = world.client(Role.FOCAL_POINT, "RS").get(f"/exchange/requests/{request.pk}/")
    assert AGREEMENT["title"] in page.content.decode() and "cited-agreement" in page.content.decode()
    form = world.client(Role.FOCAL_POINT, "RS").get(f"/exchange/hits/{hit.pk}/request/")
    assert AGREEMENT["title"] in form.content.decode()


@pytest.mark.parametrize("changes", [
    {"status": "signed", "in_force_on": None},                          # not in force
    {"status": "terminated"},                                           # ended
    {"in_force_on": (TODAY + datetime.timedelta(days=30)).isoformat(), "signed_on":
     TODAY.isoformat()},                                                # not yet in force
    {"parties": [{"country": "AL", "agency": ""}, {"country": "ME"}]},   # not with RS
])
def test_a_request_citing_an_agreement_not_in_force_or_not_between_the_two_is_refused(
        world, registered, changes):
    agreement = record(world, **changes)
    hit = hit_for(world.persons["RS-victim"])
    with registered.acting_as("RS"):
        answer = world.api(Role.FOCAL_POINT, "RS").post("/api/v1/exchange/requests", {
            **REQUEST, "hit_id": hit.pk, "agreement_id": agreement.pk},
            content_type="application/json")
    assert answer.status_code == 422 and locs(answer) == {"agreement"}
    assert not ExchangeRequest.objects.exists() and not OutboxMessage.objects.exists()
    form = world.client(Role.FOCAL_POINT, "RS").get(f"/exchange/hits/{hit.pk}/request/")
    assert agreement.title not in form.content.decode()


def test_the_free_text_legal_basis_still_works_and_one_of_the_two_is_required(world, registered):
    hit = hit_for(world.persons["RS-victim"])
    client = world.api(Role.FOCAL_POINT, "RS")
    with registered.acting_as("RS"):
        missing = client.post("/api/v1/exchange/requests", {**REQUEST, "hit_id": hit.pk},
                              content_type="application/json")
        assert missing.status_code == 422 and locs(missing) == {"legal_basis"}
        with pytest.raises(Exception, match="agreement"):
            exchange.create_request(world.user(Role.FOCAL_POINT, "RS"), hit, purpose="x",
                                    legal_basis="", fields=["given_names"], handling_code="H0",
                                    deadline=TODAY, agreement=10**6)
        ok = client.post("/api/v1/exchange/requests", {**REQUEST, "hit_id": hit.pk,
                                                       "legal_basis": "CETS 197 Art. 32"},
                         content_type="application/json")
    assert ok.status_code == 201 and ok.json()["agreement"] is None
    assert ok.json()["legal_basis"] == "CETS 197 Art. 32"

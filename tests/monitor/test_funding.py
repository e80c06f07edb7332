"""Funding lines: API and pages, who may write, bad input (negative amounts, unknown currency,
a donor without a name), the year's sums and gaps, and shelters' costs against capacity."""

import datetime
from decimal import Decimal

import pytest

from crossroads.access.choices import Role
from crossroads.assistance.models import Shelter
from crossroads.audit.models import AuditEntry
from crossroads.monitor import queries
from crossroads.monitor.models import FundingLine

URL = "/api/v1/monitor/funding-lines"
LINE = {"year": 2025, "source": "donor", "donor": "Synthetic Foundation", "recipient_kind": "ngo",
        "recipient": "Help Line NGO", "currency": "EUR", "needed": "50000.00",
        "allocated": "40000.00", "spent": "35000.50", "evidence": "Grant agreement SF-2025-7"}


@pytest.fixture
def shelter(world):
    return Shelter.objects.create(agency=world.agencies[("AL", "shelter")], name="Hope House",
                                  capacity=10)


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def locs(response) -> set:
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


def test_a_coordinator_records_and_corrects_funding_and_the_gaps_are_computed(world, shelter):
    client = world.api(Role.COORDINATOR)
    created = post(client, LINE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (Decimal(body["unspent"]), Decimal(body["unfunded"])) == (Decimal("4999.50"),
                                                                     Decimal("10000.00"))
    assert created.headers["ETag"] == '"1"'
    budget = post(client, {"year": 2025, "source": "national_budget", "recipient_kind": "shelter",
                           "shelter_id": shelter.pk, "allocated": "24000", "spent": "24000",
                           "evidence": "Budget law 2025, art. 12"})
    assert budget.status_code == 201 and budget.json()["recipient"] == "Hope House"
    assert budget.json()["currency"] == "EUR" and budget.json()["shelter_capacity"] == 10
    listed = client.get(URL + "?year=2025&source=donor").json()
    assert set(listed) == {"count", "limit", "offset", "items"} and listed["count"] == 1
    assert client.get(URL + "?year=2024").json()["count"] == 0
    changed = client.put(f"{URL}/{body['id']}", {**LINE, "spent": "40000"},
                         content_type="application/json", headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and Decimal(changed.json()["unspent"]) == 0
    assert client.put(f"{URL}/{body['id']}", LINE, content_type="application/json",
                      headers={"If-Match": '"1"'}).status_code == 409
    year = queries.funding_year("AL", 2025, world.user(Role.COORDINATOR))
    assert [(s.label, s.allocated) for s in year.by_source] == [
        ("Donor: Synthetic Foundation", Decimal("40000.00")),
        ("National budget", Decimal("24000.00"))]
    assert [(t.currency, t.allocated, t.spent) for t in year.totals] == [
        ("EUR", Decimal("64000.00"), Decimal("64000.00"))]
    assert [line.donor for line in year.gaps] == ["Synthetic Foundation"]  # need not funded
    [cost] = year.shelters
    assert (cost.capacity, cost.per_bed) == (10, Decimal("2400.00"))
    assert sorted(AuditEntry.objects.filter(object_type="monitor.fundingline")
                  .values_list("action", flat=True)) == ["create", "create", "update"]


def test_bad_input_is_named_field_by_field(world, shelter):
    client = world.api(Role.COORDINATOR)
    answer = post(client, {**LINE, "donor": " ", "currency": "EUX", "allocated": "-5",
                           "spent": "-1", "needed": "1.005", "evidence": ""})
    assert answer.status_code == 422
    assert locs(answer) == {"donor", "currency", "allocated", "spent", "needed", "evidence"}
    answer = post(client, {**LINE, "recipient_kind": "shelter", "shelter_id": 10**6,
                           "year": 1999, "source": "lottery"})
    assert locs(answer) == {"shelter", "year", "source"}
    answer = post(client, {**LINE, "allocated": "lots"})
    assert answer.status_code == 422 and "allocated" in locs(answer)
    # another jurisdiction's shelter is not a recipient of AL's funding
    rs_shelter = Shelter.objects.create(agency=world.agencies[("RS", "shelter")], name="RS house",
                                        capacity=4)
    answer = post(client, {**LINE, "recipient_kind": "shelter", "shelter_id": rs_shelter.pk})
    assert locs(answer) == {"shelter"}
    assert not FundingLine.objects.exists()


def test_only_coordinators_write_and_only_their_own_jurisdictions_lines(world):
    line = post(world.api(Role.COORDINATOR), LINE).json()
    assert world.api(Role.ANALYST).get(f"{URL}/{line['id']}").status_code == 200
    for role in (Role.ANALYST, Role.CASE_WORKER, Role.FOCAL_POINT, Role.ADMINISTRATOR):
        assert post(world.api(role), LINE).status_code == 403
        assert world.client(role).post("/monitor/funding/new/", {}).status_code == 403
    for role in (Role.CASE_WORKER, Role.INVESTIGATOR, Role.OVERSIGHT):
        assert world.api(role).get(URL).status_code == 403
    rs = world.api(Role.COORDINATOR, "RS")
    assert rs.get(f"{URL}/{line['id']}").status_code == 404
    assert rs.put(f"{URL}/{line['id']}", LINE, content_type="application/json").status_code == 404
    assert rs.get(URL).json()["count"] == 0
    assert world.client(Role.COORDINATOR, "RS").get(
        f"/monitor/funding/{line['id']}/edit/").status_code == 404
    assert FundingLine.objects.get().version == 1


def test_the_pages_record_show_and_sum_the_year(world, shelter):
    client = world.client(Role.COORDINATOR)
    form = {"year": "2025", "source": "eu_ipa", "recipient_kind": "shelter",
            "shelter": str(shelter.pk), "currency": "EUR", "allocated": "30000",
            "spent": "20000", "needed": "36000", "evidence": "IPA contract 2025/123"}
    bad = client.post("/monitor/funding/new/", {**form, "currency": "XYZ", "allocated": "-1"})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Unknown currency" in text and "cannot be negative" in text
    saved = client.post("/monitor/funding/new/", form)
    assert saved.status_code == 302
    line = FundingLine.objects.get()
    assert "IPA contract 2025/123" in client.get(saved.url).content.decode()
    page = client.get("/monitor/funding/?year=2025").content.decode()
    assert "Hope House" in page and "EU IPA" in page and "2000.00" in page  # 20000 / 10 places
    assert "Gaps" in page
    changed = client.post(f"/monitor/funding/{line.pk}/edit/", {**form, "spent": "30000",
                                                                "version": "1"})
    assert changed.status_code == 302
    assert client.post(f"/monitor/funding/{line.pk}/edit/", {**form, "version": "1"}
                       ).status_code == 409
    line.refresh_from_db()
    assert line.spent == Decimal("30000.00") and line.version == 2
    analyst = world.client(Role.ANALYST)
    assert "Hope House" in analyst.get("/monitor/funding/?year=2025").content.decode()
    assert "Correct" not in analyst.get(f"/monitor/funding/{line.pk}/").content.decode()


def test_average_occupancy_gives_the_cost_per_occupied_place(world, shelter):
    from crossroads.assistance.models import ShelterStay, VictimFile

    post(world.api(Role.COORDINATOR), {**LINE, "source": "national_budget", "donor": "",
                                       "recipient_kind": "shelter", "shelter_id": shelter.pk,
                                       "spent": "36500", "allocated": "36500", "needed": None})
    case = world.cases["AL-police"]
    file = VictimFile.objects.filter(case=case).first() or VictimFile.objects.create(
        case=case, person=world.persons["AL-victim"])
    ShelterStay.objects.create(shelter=shelter, file=file, admitted_on=datetime.date(2024, 12, 1),
                               admitted_by=world.user(Role.CASE_WORKER))   # the whole year
    [cost] = queries.funding_year("AL", 2025, world.user(Role.COORDINATOR)).shelters
    assert cost.occupied == Decimal("1.0") and cost.per_occupied == Decimal("36500.00")
    [public] = queries.funding_year("AL", 2025).shelters
    assert public.occupied is None and public.per_bed == Decimal("3650.00")

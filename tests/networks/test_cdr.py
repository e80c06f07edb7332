"""Call-detail records through a column mapping: a preview writes nothing and names every bad
row; an import joins the numbers to the entities that carry them, so a suspect of one case and
a suspect of another meet through a shared phone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crossroads.access.choices import Role
from crossroads.networks.models import Entity, Link

from .test_entities import add

CSV = ("caller_no,called_no,started,secs\n"
       "069 123 4567,+381 64 1234567,2026-01-04T10:00:00,65\n"
       "0691234567,+38164 1234567,2026-01-05T11:30:00,12\n"
       "12,+381641234567,2026-01-05,3\n"
       "0691234567,,yesterday,x\n")
MAPPING = {"caller": "caller_no", "receiver": "called_no", "start": "started", "duration": "secs"}


def upload(client, case, preview=True, text=CSV, **mapping):
    return client.post(f"/api/v1/cases/{case.pk}/network/cdr", {
        **MAPPING, **mapping, "preview": "true" if preview else "false",
        "file": SimpleUploadedFile("cdr.csv", text.encode(), content_type="text/csv")})


def test_a_preview_names_every_bad_row_and_writes_nothing(world):
    response = upload(world.api(Role.INVESTIGATOR), world.cases["AL-police"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["accepted"] == 2 and body["calls"] == 0
    assert [r["caller"] for r in body["rows"]] == ["+355691234567", "+355691234567"]
    assert {(e["row"], e["column"]) for e in body["errors"]} == {
        (4, "caller_no"), (5, "called_no"), (5, "started"), (5, "secs")}
    assert not Entity.objects.exists()
    wrong = upload(world.api(Role.INVESTIGATOR), world.cases["AL-police"], caller="msisdn")
    assert wrong.status_code == 422
    assert [d["loc"] for d in wrong.json()["detail"]] == [["body", "caller"]]


def test_an_import_joins_the_numbers_to_their_holders(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    suspect = add(investigator, case, "Person", {"name": ["Besnik Leka"],
                                                 "phone": ["+355691234567"]}).json()
    body = upload(investigator, case, preview=False).json()
    assert body["calls"] == 2 and body["new_entities"] == 1 and len(body["errors"]) == 4
    calls = Link.objects.filter(case=case, schema="Call")
    assert {c.source_entity_id for c in calls} == {suspect["id"]}
    # The Serbian number's holder is an unidentified subscriber; the neighbourhood shows it.
    around = investigator.get(f"/api/v1/network/entities/{suspect['id']}/neighbours").json()
    assert [n["schema"] for n in around["neighbours"]] == ["LegalEntity"]
    assert around["neighbours"][0]["properties"]["phone"] == ["+381641234567"]


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.FOCAL_POINT, Role.COORDINATOR])
def test_who_may_not_upload_call_records(world, role):
    response = upload(world.api(role), world.cases["AL-police"], preview=False)
    assert response.status_code in {403, 404}
    assert not Entity.objects.exists()

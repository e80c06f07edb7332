"""Issue 21, the contract "a 422 lists every error at once", on the assistance records with
several fields: a residence permit or a best-interests assessment whose body fails its schema
still has its other fields checked by the domain rules, both kinds in one answer, each `loc`
from the body's root; nothing is written; who may not write there learns only the schema's
errors."""

import datetime

from crossroads.access.choices import Role
from crossroads.assistance.models import BestInterestsAssessment, ResidencePermit
from tests.assistance.conftest import post
from tests.assistance.test_best_interests import GOOD, _child_file
from tests.assistance.test_residence_permits import _foreign_file, _put

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
FUTURE = (TODAY + 3 * DAY).isoformat()


def _locs(response) -> set[tuple]:
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]) for e in response.json()["detail"]}


def test_a_permit_lists_its_schema_and_domain_errors_together(assist):
    file = _foreign_file(assist.world)
    worker = assist.world.api(Role.CASE_WORKER)
    url = f"/api/v1/victim-files/{file.pk}/residence-permits"
    body = {"ground": "cooperation", "applied_on": FUTURE, "decided_on": "14/03/2026",
            "valid_from": TODAY.isoformat()}
    assert _locs(post(worker, url, body)) == {
        ("body", "decided_on"),                         # the schema's: a date typed day first
        ("body", "applied_on"), ("body", "valid_from")}  # the domain's: future, pending validity
    assert not ResidencePermit.objects.filter(file=file).exists()


def test_a_permit_change_is_checked_against_the_stored_permit(assist):
    file = _foreign_file(assist.world)
    worker = assist.world.api(Role.CASE_WORKER)
    created = post(worker, f"/api/v1/victim-files/{file.pk}/residence-permits",
                   {"ground": "cooperation", "applied_on": (TODAY - 10 * DAY).isoformat()})
    permit_id = created.json()["id"]
    body = {"ground": "cooperation", "applied_on": (TODAY - 10 * DAY).isoformat(),
            "decision": "granted", "decided_on": (TODAY - 12 * DAY).isoformat(),
            "valid_from": TODAY.isoformat(), "valid_until": TODAY.isoformat(), "note": "x" * 501}
    response = _put(worker, f"/api/v1/residence-permits/{permit_id}", body, version=1)
    assert _locs(response) == {("body", "note"), ("body", "decided_on"), ("body", "valid_until")}
    assert ResidencePermit.objects.get(pk=permit_id).decision == "pending"


def test_who_may_not_write_the_permit_gets_the_schema_errors_only(assist):
    file = _foreign_file(assist.world)
    body = {"ground": "cooperation", "applied_on": FUTURE, "decided_on": "14/03/2026"}
    url = f"/api/v1/victim-files/{file.pk}/residence-permits"
    for role in (Role.COORDINATOR, Role.ANALYST):
        response = post(assist.world.api(role), url, body)
        assert response.status_code in (404, 422), response.content
        if response.status_code == 422:
            assert _locs(response) == {("body", "decided_on")}


def test_an_assessment_lists_its_schema_and_domain_errors_together(assist):
    file = _child_file(assist.world)
    worker = assist.world.api(Role.CASE_WORKER)
    url = f"/api/v1/victim-files/{file.pk}/best-interests"
    body = {**GOOD, "return_risk": "nonsense", "assessed_on": FUTURE, "child_views": ""}
    assert _locs(post(worker, url, body)) == {
        ("body", "return_risk"),                          # the schema's
        ("body", "assessed_on"), ("body", "child_views")}  # the domain's
    assert not BestInterestsAssessment.objects.filter(file=file).exists()


def test_an_assessment_change_lists_every_error(assist):
    file = _child_file(assist.world)
    worker = assist.world.api(Role.CASE_WORKER)
    created = post(worker, f"/api/v1/victim-files/{file.pk}/best-interests", GOOD)
    assert created.status_code == 201, created.content
    body = {**GOOD, "measures": ["nonsense"], "outcome": " ", "guardian_appointed": False}
    response = _put(worker, f"/api/v1/best-interests/{created.json()['id']}", body, version=1)
    assert _locs(response) == {("body", "measures", 0), ("body", "outcome"),
                               ("body", "guardian_appointed_on")}
    assert BestInterestsAssessment.objects.get(pk=created.json()["id"]).guardian_appointed


def test_a_wrong_path_is_named_without_checking_the_body(assist):
    worker = assist.world.api(Role.CASE_WORKER)
    response = post(worker, "/api/v1/victim-files/abc/residence-permits",
                    {"ground": "cooperation", "applied_on": FUTURE})
    assert [e["loc"][0] for e in response.json()["detail"]] == ["path"]

"""Handling code and ownership: a raise to H3 applies at once with a reason; lowering it waits
for a second person of the owner agency (four-eyes: never the requester, never another agency,
of two decisions at once one wins); the lead transfers the case to another agency of the
jurisdiction with its new lead. All audited."""

import pytest
from django.core.exceptions import ValidationError

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.audit.models import AuditEntry
from crossroads.investigations import services
from crossroads.investigations.models import HandlingCodeChange
from crossroads.registry.models import Case, CaseTeamMember
from tests.access.test_four_eyes_helper import _at_once, needs_postgres

from .helpers import api_as, denied_entries, post


def code_url(case):
    return f"/api/v1/cases/{case.pk}/handling-code"


def second_investigator(world, jurisdiction="AL", name="investigator_2"):
    first = world.user(Role.INVESTIGATOR, jurisdiction)
    return User.objects.create_user(f"{jurisdiction.lower()}_{name}", password="x" * 16,
                                    role=Role.INVESTIGATOR, agency=first.agency)


def raised(world):
    """AL-police raised to H3 by its lead, a second investigator of the police on its team."""
    case = world.cases["AL-police"]
    lead = world.api(Role.INVESTIGATOR)
    response = post(lead, code_url(case), {"handling_code": "H3", "reason": "Witness threatened"})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "applied"
    second = second_investigator(world)
    services.add_member(world.user(Role.INVESTIGATOR), case, second.username, "investigator")
    return case, lead, second


def test_a_raise_applies_at_once_and_restricts_the_case_to_its_team(world):
    case, lead, _second = raised(world)
    case.refresh_from_db()
    assert case.handling_code == "H3"
    assert world.api(Role.FOCAL_POINT).get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert world.api(Role.CASE_WORKER).get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert world.api(Role.PROSECUTOR).get(f"/api/v1/cases/{case.pk}").status_code == 200
    history = lead.get(code_url(case)).json()["items"]
    assert [(h["from_code"], h["to_code"], h["status"], h["request_reason"]) for h in history] == [
        ("H0", "H3", "applied", "Witness threatened")]
    assert AuditEntry.objects.filter(object_type="registry.case", object_id=str(case.pk),
                                     details__handling_code=["H0", "H3"]).exists()


def test_a_change_needs_a_reason_and_a_known_code(world):
    case, lead = world.cases["AL-police"], world.api(Role.INVESTIGATOR)
    for body in ({"handling_code": "H3", "reason": "  "}, {"handling_code": "H9", "reason": "x"},
                 {"handling_code": "H0", "reason": "already"}):
        assert post(lead, code_url(case), body).status_code == 422, body
    assert not HandlingCodeChange.objects.exists()


def test_lowering_waits_for_a_second_person_of_the_owner_agency(world):
    case, lead, second = raised(world)
    response = post(lead, code_url(case), {"handling_code": "H0", "reason": "Threat has passed"})
    assert response.status_code == 201 and response.json()["status"] == "pending"
    change_id = response.json()["id"]
    case.refresh_from_db()
    assert case.handling_code == "H3"
    # A second lowering while one waits is refused.
    assert post(lead, code_url(case), {"handling_code": "H1", "reason": "x"}).status_code == 422
    approve = f"/api/v1/handling-code-changes/{change_id}/approve"
    # Not the requester; not the prosecutor of another agency on the team; nobody off the team.
    assert post(lead, approve, {}).status_code == 403
    assert post(world.api(Role.PROSECUTOR), approve, {}).status_code == 403
    assert post(world.api(Role.FOCAL_POINT), approve, {}).status_code == 404
    assert post(world.api(Role.INVESTIGATOR, "RS"), approve, {}).status_code == 404
    assert denied_entries(world.user(Role.PROSECUTOR), "approve").exists()
    second_api = api_as(second)
    assert [c["id"] for c in second_api.get("/api/v1/handling-code-changes").json()["items"]] == [change_id]
    assert lead.get("/api/v1/handling-code-changes").json()["items"] == []
    decided = post(second_api, approve, {"reason": "Agreed"})
    assert decided.status_code == 200 and decided.json()["decided_by"] == second.username
    case.refresh_from_db()
    assert case.handling_code == "H0"
    assert post(second_api, approve, {}).status_code == 422  # replayed
    assert world.api(Role.FOCAL_POINT).get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_a_rejection_needs_a_reason_and_keeps_the_code(world):
    case, lead, second = raised(world)
    change_id = post(lead, code_url(case), {"handling_code": "H1", "reason": "Lower"}).json()["id"]
    reject = f"/api/v1/handling-code-changes/{change_id}/reject"
    assert post(api_as(second), reject, {"reason": ""}).status_code == 422
    assert post(api_as(second), reject, {"reason": "Not yet"}).json()["status"] == "rejected"
    case.refresh_from_db()
    assert case.handling_code == "H3"


def test_a_stale_lowering_cannot_be_approved(world):
    case = world.cases["AL-police"]
    investigator = world.user(Role.INVESTIGATOR)
    services.request_handling_code(investigator, case, "H2", "Sensitive")
    change = services.request_handling_code(investigator, case, "H1", "Less so")
    second = second_investigator(world)
    services.add_member(investigator, case, second.username, "investigator")
    services.request_handling_code(investigator, case, "H3", "Threat")  # raised meanwhile
    with pytest.raises(ValidationError) as error:
        services.approve_handling_change(second, change.pk)
    assert "status" in error.value.message_dict
    case.refresh_from_db()
    assert case.handling_code == "H3"


def test_the_lead_transfers_the_case_to_the_prosecution(world):
    case, lead = world.cases["AL-police"], world.api(Role.INVESTIGATOR)
    prosecution = world.agencies[("AL", "prosecution")]
    url = f"/api/v1/cases/{case.pk}/owner"
    body = {"agency_id": prosecution.pk, "lead": "al_prosecutor", "reason": "Indictment filed"}
    assert post(world.api(Role.PROSECUTOR), url, body).status_code == 403  # not the lead
    assert post(lead, url, {**body, "reason": ""}).status_code == 422
    assert post(lead, url, {**body, "lead": "al_investigator"}).status_code == 422  # not theirs
    rs_agency = world.agencies[("RS", "prosecution")]
    assert post(lead, url, {**body, "agency_id": rs_agency.pk}).status_code == 422
    response = post(lead, url, body)
    assert response.status_code == 201, response.content
    case.refresh_from_db()
    assert case.owner_agency == prosecution
    assert set(CaseTeamMember.objects.filter(case=case).values_list(
        "user__username", "team_role")) == {("al_prosecutor", "lead"),
                                            ("al_investigator", "investigator")}
    assert post(lead, url, body).status_code == 403  # the former lead leads no more
    assert lead.get(url).json()["items"][0]["new_lead"] == "al_prosecutor"
    assert AuditEntry.objects.filter(object_type="registry.case", object_id=str(case.pk),
                                     details__owner_agency=[world.agencies[("AL", "police")].pk,
                                                            prosecution.pk]).exists()


def test_cases_without_a_lead_are_managed_by_their_owner_agency(world):
    case = world.cases["AL-police"]
    CaseTeamMember.objects.filter(case=case).delete()
    services.add_member(second_investigator(world),
                        case, "al_investigator", "lead")
    assert Case.objects.get(pk=case.pk).memberships.get().team_role == "lead"


@needs_postgres
def test_two_decisions_on_a_lowering_at_once_only_one_wins(committing_db):  # noqa: F811
    from tests.conftest import build_world

    world = build_world()
    case = world.cases["AL-police"]
    lead = world.user(Role.INVESTIGATOR)
    b, c = second_investigator(world), second_investigator(world, name="investigator_3")
    for member in (b, c):
        services.add_member(lead, case, member.username, "investigator")
    services.request_handling_code(lead, case, "H3", "Threat")
    change = services.request_handling_code(lead, case, "H0", "Passed")
    outcomes = _at_once(lambda: services.approve_handling_change(b, change.pk),
                        lambda: services.reject_handling_change(c, change.pk, "No"))
    assert outcomes == ["decided", "refused"]
    decisions = AuditEntry.objects.filter(object_type="investigations.handlingcodechange",
                                          object_id=str(change.pk), action="update")
    assert decisions.count() == 1

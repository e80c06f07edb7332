"""The case team through the API: the lead adds and removes members of the jurisdiction with a
team role and hands the lead over; the team decides who sees an H3 case; everyone else is
refused (and the refusal audited)."""

import pytest
from django.test import Client

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.audit.models import AuditEntry
from crossroads.investigations import services
from crossroads.registry.models import CaseTeamMember
from tests.access.test_four_eyes_helper import _at_once, needs_postgres
from tests.conftest import login_as

from .helpers import api_as, denied_entries, post


def team_url(case):
    return f"/api/v1/cases/{case.pk}/team"


def team(world, case, role=Role.INVESTIGATOR):
    return {(m["username"], m["team_role"]) for m in world.api(role).get(team_url(case)).json()}


def test_the_opener_leads_and_the_lead_adds_a_prosecutor_and_an_ngo_contact(world):
    case = world.cases["AL-police"]
    assert ("al_investigator", "lead") in team(world, case)
    lead = world.api(Role.INVESTIGATOR)
    response = post(lead, team_url(case), {"username": "al_case_worker", "team_role": "ngo_contact"})
    assert response.status_code == 201, response.content
    assert response.json() == {"username": "al_case_worker", "team_role": "ngo_contact"}
    # The prosecutor (on the team already) takes the prosecutor's part.
    assert post(lead, team_url(case), {"username": "al_prosecutor",
                                       "team_role": "prosecutor"}).status_code == 201
    assert team(world, case) == {("al_investigator", "lead"), ("al_prosecutor", "prosecutor"),
                                 ("al_case_worker", "ngo_contact")}
    history = lead.get(f"/api/v1/cases/{case.pk}/team-history").json()["items"]
    assert [(h["kind"], h["username"], h["team_role"]) for h in history] == [
        ("added", "al_case_worker", "ngo_contact"), ("role_changed", "al_prosecutor", "prosecutor")]
    audited = AuditEntry.objects.filter(object_type="registry.case", object_id=str(case.pk),
                                        details__has_key="team")
    assert audited.count() == 2
    # A replayed request changes nothing.
    again = post(lead, team_url(case), {"username": "al_case_worker", "team_role": "ngo_contact"})
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "username"]
    assert len(lead.get(f"/api/v1/cases/{case.pk}/team-history").json()["items"]) == 2


@pytest.mark.parametrize("role, status", [
    (Role.PROSECUTOR, 403),      # on the team, but not its lead
    (Role.FOCAL_POINT, 403),     # sees the case, may not change it
    (Role.COORDINATOR, 403),
    (Role.CASE_WORKER, 403),     # the case is assigned to the shelter: not its lead
    ("other_investigator", 404),  # another police agency: does not see the case
    (Role.ANALYST, 404),
    (Role.OVERSIGHT, 404),
])
def test_nobody_but_the_lead_changes_the_team(world, role, status):
    case = world.cases["AL-police"]
    user = world.user(role)
    client = api_as(user)
    body = {"username": "al_focal_point", "team_role": "investigator"}
    assert post(client, team_url(case), body).status_code == status
    assert client.delete(f"{team_url(case)}/al_prosecutor").status_code == status
    assert denied_entries(user).exists()
    assert team(world, case) == {("al_investigator", "lead"), ("al_prosecutor", "investigator")}


def test_other_jurisdiction_sees_nothing_and_its_accounts_cannot_join(world):
    case = world.cases["AL-police"]
    assert world.api(Role.INVESTIGATOR, "RS").get(team_url(case)).status_code == 404
    lead = world.api(Role.INVESTIGATOR)
    for username in ("rs_prosecutor", "nobody_at_all"):
        response = post(lead, team_url(case), {"username": username, "team_role": "prosecutor"})
        assert response.status_code == 422
        assert response.json()["detail"][0]["msg"].startswith("No active account")
    inactive = world.user(Role.PROSECUTOR)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    CaseTeamMember.objects.filter(user=inactive).delete()
    assert post(lead, team_url(case), {"username": "al_prosecutor",
                                       "team_role": "prosecutor"}).status_code == 422


@pytest.mark.parametrize("username, team_role", [
    ("al_case_worker", "prosecutor"), ("al_prosecutor", "ngo_contact"),
    ("al_coordinator", "investigator"), ("al_analyst", "investigator"),
    ("al_prosecutor", "lead"),  # not of the owner agency
    ("al_focal_point", "lead"),  # of the owner agency, but may not edit cases
])
def test_the_team_role_fits_the_account(world, username, team_role):
    response = post(world.api(Role.INVESTIGATOR), team_url(world.cases["AL-police"]),
                    {"username": username, "team_role": team_role})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][1] == "team_role"


def test_the_team_decides_who_sees_an_h3_case(world):
    h3 = world.cases["AL-h3"]
    investigator, case_worker = world.api(Role.INVESTIGATOR), world.api(Role.CASE_WORKER)
    assert investigator.get(f"/api/v1/cases/{h3.pk}").status_code == 404
    colleague = User.objects.get(username="al_colleague")
    lead = api_as(colleague)
    assert post(lead, team_url(h3), {"username": "al_investigator",
                                     "team_role": "investigator"}).status_code == 201
    assert post(lead, team_url(h3), {"username": "al_case_worker",
                                     "team_role": "ngo_contact"}).status_code == 201
    assert investigator.get(f"/api/v1/cases/{h3.pk}").status_code == 200
    assert case_worker.get(f"/api/v1/cases/{h3.pk}").status_code == 200
    assert lead.delete(f"{team_url(h3)}/al_investigator").status_code == 204
    assert lead.delete(f"{team_url(h3)}/al_investigator").status_code == 404  # replayed
    assert investigator.get(f"/api/v1/cases/{h3.pk}").status_code == 404
    # Their own agency's coordinator-free view: the focal point of the police sees it only
    # on the team.
    assert world.api(Role.FOCAL_POINT).get(f"/api/v1/cases/{h3.pk}").status_code == 404


def test_a_team_case_worker_still_never_sees_suspects(world):
    case = world.cases["AL-other"]  # another police agency's case, not assigned to the shelter
    other = world.user("other_investigator")
    services.add_member(other, case, "al_case_worker", "ngo_contact")
    suspect = world.persons["AL-suspect"]
    from crossroads.registry import services as registry

    registry.add_involvement(other, case, suspect, "suspect")
    detail = world.api(Role.CASE_WORKER).get(f"/api/v1/cases/{case.pk}").json()
    assert {i["role"] for i in detail["involvements"]} == {"victim"}
    assert world.api(Role.CASE_WORKER).get(
        f"/api/v1/persons/{suspect.pk}").status_code == 404


def test_the_lead_hands_over_and_stays_on_the_team(world):
    case = world.cases["AL-police"]
    lead = world.api(Role.INVESTIGATOR)
    assert lead.delete(f"{team_url(case)}/al_investigator").json()["detail"][0]["loc"] == [
        "body", "username"]
    response = post(lead, team_url(case), {"username": "al_colleague", "team_role": "lead"})
    assert response.status_code == 201
    assert team(world, case) >= {("al_colleague", "lead"), ("al_investigator", "investigator")}
    # The former lead manages nothing any more.
    assert post(lead, team_url(case), {"username": "al_focal_point",
                                       "team_role": "investigator"}).status_code == 403
    kinds = [h["kind"] for h in lead.get(f"/api/v1/cases/{case.pk}/team-history").json()["items"]]
    assert kinds == ["role_changed", "lead_handed_over"]
    assert CaseTeamMember.objects.filter(case=case, team_role="lead").count() == 1


def test_the_api_refuses_unverified_sessions_bad_and_read_only_tokens(world):
    case = world.cases["AL-police"]
    body = {"username": "al_focal_point", "team_role": "investigator"}
    password_only = Client()
    password_only.force_login(world.user(Role.INVESTIGATOR))
    assert post(password_only, team_url(case), body).status_code == 401
    assert password_only.get(team_url(case)).status_code == 401
    bad = Client(headers={"Authorization": "Bearer not-a-token"})
    assert post(bad, team_url(case), body).status_code == 401
    ro = api_as(world.user(Role.INVESTIGATOR), scope="read")
    assert post(ro, team_url(case), body).status_code == 403
    verified = login_as(world.user(Role.INVESTIGATOR))
    assert post(verified, team_url(case), body).status_code == 201


@needs_postgres
def test_two_additions_at_once_add_one_member(committing_db):  # noqa: F811
    from tests.conftest import build_world

    world = build_world()
    case, lead = world.cases["AL-police"], world.user(Role.INVESTIGATOR)

    def add():
        services.add_member(lead, case, "al_focal_point", "investigator")

    outcomes = _at_once(add, add)
    assert len(outcomes) == 2 and "decided" in outcomes
    assert CaseTeamMember.objects.filter(case=case, user__username="al_focal_point").count() == 1

"""Optimistic concurrency on the case team, the handling code and the owner: a write built from
an older read of the case (API: If-Match with the case's ETag; pages: the form's hidden
version) is refused with 409, shows what the case holds now and writes nothing."""

import json

import pytest

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.investigations import services
from crossroads.investigations.models import HandlingCodeChange, OwnershipTransfer, TeamChange
from crossroads.registry.models import CaseTeamMember

from .helpers import post
from .pages import reload, version


def team_url(case):
    return f"/api/v1/cases/{case.pk}/team"


def send(client, url, body, tag, method="post"):
    if method == "delete":
        return client.delete(url, headers={"If-Match": tag})
    return client.post(url, json.dumps(body), content_type="application/json",
                       headers={"If-Match": tag})


def test_the_team_carries_the_case_version_and_a_stale_change_is_409(world):
    case = world.cases["AL-police"]
    lead = world.api(Role.INVESTIGATOR)
    read = lead.get(team_url(case))
    tag = read["ETag"]
    assert tag == f'"{reload(case).version}"'
    # Someone else changes the team meanwhile (the colleague is added).
    services.add_member(world.user(Role.INVESTIGATOR), reload(case), "al_colleague",
                        "investigator")
    changes = TeamChange.objects.filter(case=case).count()
    stale = send(lead, team_url(case), {"username": "al_case_worker",
                                        "team_role": "ngo_contact"}, tag)
    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == reload(case).version and stale["ETag"] == f'"{body["version"]}"'
    assert {"username": "al_colleague", "team_role": "investigator"} in body["current"]["team"]
    assert body["current"]["handling_code"] == case.handling_code
    assert TeamChange.objects.filter(case=case).count() == changes  # nothing written
    assert not CaseTeamMember.objects.filter(case=case, user__username="al_case_worker").exists()
    # Built again from the version shown, it is applied and the ETag moves on.
    fresh = send(lead, team_url(case), {"username": "al_case_worker",
                                        "team_role": "ngo_contact"}, stale["ETag"])
    assert fresh.status_code == 201, fresh.content
    assert fresh["ETag"] == f'"{reload(case).version}"' != stale["ETag"]
    # A removal built from the old read is refused too; from the new one it is applied.
    gone = send(lead, f"{team_url(case)}/al_colleague", None, stale["ETag"], "delete")
    assert gone.status_code == 409
    assert CaseTeamMember.objects.filter(case=case, user__username="al_colleague").exists()
    assert send(lead, f"{team_url(case)}/al_colleague", None, fresh["ETag"],
                "delete").status_code == 204


def test_a_stale_handling_code_request_or_transfer_is_409(world):
    case = world.cases["AL-police"]
    lead = world.api(Role.INVESTIGATOR)
    listed = lead.get(f"/api/v1/cases/{case.pk}/handling-code")
    tag = listed["ETag"]
    assert lead.get(f"/api/v1/cases/{case.pk}/owner")["ETag"] == tag
    # A raise applied meanwhile: a request built before it is refused, nothing recorded.
    services.request_handling_code(world.user(Role.INVESTIGATOR), reload(case), "H2", "risk")
    stale = send(lead, f"/api/v1/cases/{case.pk}/handling-code",
                 {"handling_code": "H1", "reason": "built on H0"}, tag)
    assert stale.status_code == 409
    assert stale.json()["current"]["handling_code"] == "H2"
    assert HandlingCodeChange.objects.filter(case=case).count() == 1
    police2 = world.agencies[("AL", "police2")]
    moved = send(lead, f"/api/v1/cases/{case.pk}/owner",
                 {"agency_id": police2.pk, "lead": "al_other_investigator", "reason": "x"}, tag)
    assert moved.status_code == 409
    assert reload(case).owner_agency_id != police2.pk
    assert not OwnershipTransfer.objects.filter(case=case).exists()
    # With the version now, both go through.
    now = stale["ETag"]
    raised = send(lead, f"/api/v1/cases/{case.pk}/handling-code",
                  {"handling_code": "H3", "reason": "witness threatened"}, now)
    assert raised.status_code == 201, raised.content
    moved = send(lead, f"/api/v1/cases/{case.pk}/owner",
                 {"agency_id": police2.pk, "lead": "al_other_investigator", "reason": "x"},
                 raised["ETag"])
    assert moved.status_code == 201, moved.content
    assert reload(case).owner_agency_id == police2.pk


def test_a_malformed_if_match_names_the_header_and_the_policy_comes_first(world):
    case = world.cases["AL-police"]
    lead = world.api(Role.INVESTIGATOR)
    bad = send(lead, team_url(case), {"username": "al_case_worker", "team_role": "ngo_contact"},
               "three")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "If-Match"]
    # Who may not change the team is refused whatever version they send (403, audited).
    prosecutor = world.api(Role.PROSECUTOR)
    assert send(prosecutor, team_url(case), {"username": "al_case_worker",
                                             "team_role": "ngo_contact"}, '"1"').status_code == 403
    assert AuditEntry.objects.filter(actor=world.user(Role.PROSECUTOR), action="denied").exists()
    assert not CaseTeamMember.objects.filter(case=case, user__username="al_case_worker").exists()


def test_without_if_match_the_last_write_is_still_checked_for_its_own_rules(world):
    case = world.cases["AL-police"]
    lead = world.api(Role.INVESTIGATOR)
    assert post(lead, team_url(case), {"username": "al_case_worker",
                                       "team_role": "ngo_contact"}).status_code == 201
    again = post(lead, team_url(case), {"username": "al_case_worker", "team_role": "ngo_contact"})
    assert again.status_code == 422  # already on the team: the service's own check


@pytest.mark.parametrize("tail, body, count", [
    ("team/add/", {"username": "al_case_worker", "team_role": "ngo_contact"},
     lambda case: TeamChange.objects.filter(case=case).count()),
    ("handling/request/", {"handling_code": "H2", "reason": "risk"},
     lambda case: HandlingCodeChange.objects.filter(case=case).count()),
    ("owner/", {"owner-lead": "al_other_investigator", "owner-reason": "x"},
     lambda case: OwnershipTransfer.objects.filter(case=case).count()),
], ids=["team", "handling code", "owner"])
def test_a_page_form_built_before_another_change_shows_the_case_now(world, tail, body, count):
    case = world.cases["AL-police"]
    lead = world.client(Role.INVESTIGATOR)
    field = "owner-version" if tail == "owner/" else "version"
    shown = version(case)
    page = lead.get(f"/cases/{case.pk}/{'team/' if tail == 'team/add/' else 'handling/'}")
    assert f'name="{field}" value="{shown}"' in page.content.decode()
    services.add_member(world.user(Role.INVESTIGATOR), reload(case), "al_colleague",
                        "investigator")  # meanwhile, in another tab
    before = count(case)
    if tail == "owner/":
        body = {**body, "owner-agency_id": world.agencies[("AL", "police2")].pk}
    answer = lead.post(f"/cases/{case.pk}/{tail}", {**body, field: shown})
    assert answer.status_code == 409
    text = answer.content.decode()
    assert "Someone changed this record after you opened the form. Nothing was saved" in text
    assert f'name="{field}" value="{version(case)}"' in text  # the form again, from now
    assert count(case) == before
    if tail == "team/add/":
        assert "al_colleague" in text  # the newer team is shown
    # The removal button carries the version too.
    removed = lead.post(f"/cases/{case.pk}/team/al_colleague/remove/", {"version": shown})
    assert removed.status_code == 409
    assert CaseTeamMember.objects.filter(case=case, user__username="al_colleague").exists()

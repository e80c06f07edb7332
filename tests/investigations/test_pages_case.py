"""The case page's investigations section and the team, persons and handling-code pages, as
the roles that may and may not: forms carry CSRF, errors come all at once, refusals are 403
(the case seen) or 404 (not seen), and nothing is written by a refused request."""

import pytest

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.audit.models import AuditEntry
from crossroads.investigations.models import HandlingCodeChange, TeamChange
from crossroads.registry.models import CaseTeamMember, Involvement
from tests.conftest import login_as

from .helpers import denied_entries
from .pages import csrf_checked, reload, summary, unverified, version

PERSON = {"given_names": "Genc", "family_name": "Marku", "sex": "M", "birth_date": "02/03/1985",
          "birth_precision": "exact", "role": "suspect"}


def url(case, tail=""):
    return f"/cases/{case.pk}/{tail}"


def test_the_case_page_shows_the_team_and_the_investigation_links_by_role(world):
    case = world.cases["AL-police"]
    page = world.client(Role.INVESTIGATOR).get(url(case)).content.decode()
    assert "al_investigator — Lead" in page and "al_prosecutor" in page
    for tail in ("team/", "persons/new/", "handling/", "log/", "proceedings/", "markers/"):
        assert f'href="{url(case, tail)}"' in page
    # The case worker of the shelter sees the team, adds no suspect, never reaches the log.
    page = world.client(Role.CASE_WORKER).get(url(case)).content.decode()
    assert "al_investigator — Lead" in page
    assert "Besnik" not in page and "Leka" not in page
    assert f'href="{url(case, "log/")}"' not in page
    assert "victim, witness, guardian or other" in page


def test_the_lead_adds_a_member_and_the_history_shows_it(world):
    case = world.cases["AL-police"]
    lead = world.client(Role.INVESTIGATOR)
    response = lead.post(url(case, "team/add/"), {"version": version(case), "username": "al_case_worker",
                                                  "team_role": "ngo_contact"})
    assert response.status_code == 302
    page = lead.get(url(case, "team/")).content.decode()
    assert "Added to the team: al_case_worker (NGO contact), by al_investigator" in page
    assert CaseTeamMember.objects.filter(case=case, user__username="al_case_worker",
                                         team_role="ngo_contact").exists()
    # Removed again, from the page.
    assert lead.post(url(case, "team/al_case_worker/remove/"), {"version": version(case)}).status_code == 302
    assert not CaseTeamMember.objects.filter(case=case, user__username="al_case_worker").exists()


def test_the_lead_hands_the_lead_over_and_then_manages_no_more(world):
    case = world.cases["AL-police"]
    lead = world.client(Role.INVESTIGATOR)
    assert lead.post(url(case, "team/add/"), {"version": version(case), "username": "al_colleague",
                                              "team_role": "lead"}).status_code == 302
    assert CaseTeamMember.objects.get(case=case, team_role="lead").user.username == "al_colleague"
    # The former lead stays on the team in their own part, and may no longer change it.
    assert CaseTeamMember.objects.get(case=case, user__username="al_investigator").team_role \
        == "investigator"
    page = lead.get(url(case, "team/")).content.decode()
    assert "Remove al_prosecutor" not in page
    assert lead.post(url(case, "team/add/"), {"version": version(case), "username": "al_case_worker",
                                              "team_role": "ngo_contact"}).status_code == 403


def test_team_errors_come_all_at_once_and_nothing_is_written(world):
    case = world.cases["AL-police"]
    response = world.client(Role.INVESTIGATOR).post(url(case, "team/add/"), {
        "version": version(case), "username": "", "team_role": "boss"})
    assert response.status_code == 422
    errors = summary(response)
    assert "User name" in errors and "Team role" in errors
    # A service refusal (an account of another jurisdiction) at its field.
    response = world.client(Role.INVESTIGATOR).post(url(case, "team/add/"),
                                                    {"version": version(case), "username": "rs_prosecutor",
                                                     "team_role": "prosecutor"})
    assert response.status_code == 422 and "No active account" in summary(response)
    assert not TeamChange.objects.filter(case=case).exists()


@pytest.mark.parametrize("who, case_name, status", [
    (Role.PROSECUTOR, "AL-police", 403),          # on the team, not its lead
    (Role.CASE_WORKER, "AL-police", 403),         # the shelter's case worker: assigned, not lead
    (Role.FOCAL_POINT, "AL-police", 403),         # sees the case, changes nothing
    (Role.COORDINATOR, "AL-police", 403),
    ("other_investigator", "AL-police", 404),     # another police agency
    (Role.INVESTIGATOR, "AL-h3", 404),            # H3 of their own agency, not on its team
    (Role.INVESTIGATOR, "RS-police", 404),        # another jurisdiction
])
def test_nobody_but_the_lead_changes_the_team_from_the_page(world, who, case_name, status):
    case = world.cases[case_name]
    user = world.user(who)
    client = world.client(who)
    before = set(CaseTeamMember.objects.filter(case=case).values_list("user_id", "team_role"))
    assert client.post(url(case, "team/add/"), {"version": version(case),
                                                "username": "al_focal_point",
                                                "team_role": "investigator"}).status_code == status
    assert client.post(url(case, "team/al_prosecutor/remove/"),
                       {"version": version(case)}).status_code == status
    assert set(CaseTeamMember.objects.filter(case=case).values_list("user_id", "team_role")) \
        == before
    assert denied_entries(user).exists()


def test_pages_need_the_second_factor_and_posts_need_the_csrf_token(world):
    case = world.cases["AL-police"]
    lead = world.user(Role.INVESTIGATOR)
    response = unverified(lead).get(url(case, "team/"))
    assert response.status_code == 302 and "/mfa/" in response["Location"]
    response = unverified(lead).post(url(case, "team/add/"), {
        "version": version(case), "username": "al_case_worker", "team_role": "ngo_contact"})
    assert response.status_code == 302 and "/mfa/" in response["Location"]
    assert csrf_checked(lead).post(url(case, "team/add/"), {"version": version(case),
        "username": "al_case_worker", "team_role": "ngo_contact"}).status_code == 403
    assert csrf_checked(lead).post(url(case, "persons/new/"), PERSON).status_code == 403
    assert not CaseTeamMember.objects.filter(case=case, user__username="al_case_worker").exists()
    # The pages' forms carry the token.
    page = world.client(Role.INVESTIGATOR).get(url(case, "team/")).content.decode()
    assert page.count("csrfmiddlewaretoken") >= 3  # language, log-out, the team's forms


def test_an_investigator_adds_a_new_suspect_checked_as_a_registration(world):
    case = world.cases["AL-police"]
    client = world.client(Role.INVESTIGATOR)
    response = client.post(url(case, "persons/new/"), PERSON)
    assert response.status_code == 302, summary(response)
    involvement = Involvement.objects.filter(case=case, role="suspect").latest("pk")
    assert involvement.person.family_name == "Marku"
    assert AuditEntry.objects.filter(object_type="registry.person",
                                     object_id=str(involvement.person_id), action="create").exists()
    assert "Genc Marku" in client.get(url(case)).content.decode()
    # The case worker of the case never sees them.
    assert "Marku" not in world.client(Role.CASE_WORKER).get(url(case)).content.decode()


def test_new_person_errors_come_all_at_once(world):
    case = world.cases["AL-police"]
    response = world.client(Role.INVESTIGATOR).post(url(case, "persons/new/"), {
        **PERSON, "given_names": "", "birth_date": "31/02/1985", "doc_type": "national_id",
        "doc_number": "0101990500006", "doc_country": "RS", "place_of_birth": "Tirana\u202e"})
    assert response.status_code == 422
    errors = summary(response)
    assert "Given name(s)" in errors and "Date of birth" in errors and "Place of birth" in errors
    assert Involvement.objects.filter(case=case).count() == 2


def test_a_case_worker_is_not_offered_and_cannot_add_a_suspect(world):
    case = world.cases["AL-police"]
    client = world.client(Role.CASE_WORKER)
    form = client.get(url(case, "persons/new/")).content.decode()
    assert 'value="suspect"' not in form and 'value="witness"' in form
    # A suspect posted all the same: refused by the policy, and the refusal is on record.
    assert client.post(url(case, "persons/new/"), PERSON).status_code == 403
    response = client.post(url(case, "persons/existing/"), {
        "existing-person_id": world.persons["AL-victim"].pk, "existing-role": "suspect"})
    assert response.status_code == 403
    assert denied_entries(world.user(Role.CASE_WORKER)).count() == 2
    assert Involvement.objects.filter(case=case).count() == 2


def test_a_duplicate_is_offered_and_the_existing_person_used(world):
    case = world.cases["AL-police"]
    client = world.client(Role.INVESTIGATOR)
    victim = world.persons["AL-victim"]  # Drita Krasniqi, born 4 May 2001
    typed = {**PERSON, "given_names": "Drita", "family_name": "Krasniqi", "sex": "F",
             "birth_date": "04/05/2001", "role": "witness"}
    response = client.post(url(case, "persons/new/"), typed)
    assert response.status_code == 200
    assert 'name="existing_person"' in response.content.decode()
    assert f'value="{victim.pk}"' in response.content.decode()
    assert AuditEntry.objects.filter(action="read_identity",
                                     details__via="case person duplicate check").exists()
    response = client.post(url(case, "persons/new/"), {**typed, "existing_person": victim.pk})
    assert response.status_code == 302
    assert Involvement.objects.filter(case=case, person=victim, role="witness").exists()
    assert Involvement.objects.filter(case=case).count() == 3  # no new person


def test_an_existing_person_by_number(world):
    case = world.cases["AL-police"]
    suspect = world.persons["AL-suspect"]
    client = world.client(Role.INVESTIGATOR)
    response = client.post(url(case, "persons/existing/"), {"existing-person_id": suspect.pk,
                                                            "existing-role": "witness"})
    assert response.status_code == 302
    assert Involvement.objects.filter(case=case, person=suspect, role="witness").exists()
    # A person the investigator may not see (another agency's victim): refused at the field.
    hidden = world.persons["AL-other-victim"]
    response = client.post(url(case, "persons/existing/"), {"existing-person_id": hidden.pk,
                                                            "existing-role": "witness"})
    assert response.status_code == 422 and "No person you may see" in summary(response)


@pytest.mark.parametrize("who, case_name, status", [
    (Role.FOCAL_POINT, "AL-police", 403), (Role.COORDINATOR, "AL-police", 403),
    ("other_investigator", "AL-police", 404), (Role.INVESTIGATOR, "AL-h3", 404),
    (Role.INVESTIGATOR, "RS-police", 404)])
def test_who_may_not_change_the_case_adds_nobody(world, who, case_name, status):
    case = world.cases[case_name]
    client = world.client(who)
    before = Involvement.objects.filter(case=case).count()
    assert client.get(url(case, "persons/new/")).status_code == status
    assert client.post(url(case, "persons/new/"), PERSON).status_code == status
    assert Involvement.objects.filter(case=case).count() == before


def test_raise_applies_and_a_lowering_waits_for_a_second_person(world):
    case = world.cases["AL-police"]
    lead = world.client(Role.INVESTIGATOR)
    response = lead.post(url(case, "handling/request/"), {"version": version(case),
                                                          "handling_code": "H2", "reason": ""})
    assert response.status_code == 422 and "Reason" in summary(response)
    assert lead.post(url(case, "handling/request/"), {"version": version(case), "handling_code": "H2",
                                                     "reason": "Witness at risk"}).status_code == 302
    assert reload(case).handling_code == "H2"
    assert lead.post(url(case, "handling/request/"), {"version": version(case), "handling_code": "H0",
                                                     "reason": "Risk over"}).status_code == 302
    assert reload(case).handling_code == "H2"
    change = HandlingCodeChange.objects.get(case=case, status="pending")
    # The requester may not decide; the colleague of the owner agency is offered the decision.
    assert lead.post(f"/handling-changes/{change.pk}/approve/").status_code == 403
    colleague = world.client("other_investigator")  # another agency: does not see the case
    assert colleague.post(f"/handling-changes/{change.pk}/approve/").status_code == 404
    second = login_as(User.objects.get(username="al_colleague"))
    home = second.get("/").content.decode()
    assert f"Case {case.reference}: H2 → H0, asked by al_investigator" in home
    assert "Case " + case.reference + ": H2" not in lead.get("/").content.decode()
    page = second.get(url(case, "handling/")).content.decode()
    assert "Approve the lowering" in page
    assert second.post(f"/handling-changes/{change.pk}/approve/",
                       {"decision-reason": "Agreed"}).status_code == 302
    assert reload(case).handling_code == "H0"
    page = lead.get(url(case, "handling/")).content.decode()
    assert "H2 → H0: Approved" in page


def test_the_lead_transfers_the_case_to_another_agency(world):
    case = world.cases["AL-police"]
    police2 = world.agencies[("AL", "police2")]
    lead = world.client(Role.INVESTIGATOR)
    response = lead.post(url(case, "owner/"), {"owner-version": version(case), "owner-agency_id": police2.pk,
                                               "owner-lead": "al_investigator", "owner-reason": "x"})
    errors = summary(response)
    assert response.status_code == 422
    assert "Lead in that agency (user name): The lead belongs to the owner agency." in errors
    response = lead.post(url(case, "owner/"), {"owner-version": version(case), "owner-agency_id": police2.pk,
                                               "owner-lead": "al_other_investigator",
                                               "owner-reason": "Their unit runs it now"})
    assert response.status_code == 302
    assert reload(case).owner_agency_id == police2.pk
    # The prosecutor (on the team) sees the transfer; the old lead no longer manages anything.
    page = world.client(Role.PROSECUTOR).get(url(case, "handling/")).content.decode()
    assert "Their unit runs it now" in page and "Hand over the case" not in page


def test_only_the_lead_transfers(world):
    case = world.cases["AL-police"]
    police2 = world.agencies[("AL", "police2")]
    body = {"owner-version": version(case), "owner-agency_id": police2.pk,
            "owner-lead": "al_other_investigator", "owner-reason": "x"}
    assert world.client(Role.PROSECUTOR).post(url(case, "owner/"), body).status_code == 403
    assert world.client(Role.INVESTIGATOR, "RS").post(url(case, "owner/"), body).status_code == 404
    assert reload(case).owner_agency_id != police2.pk


def test_a_replayed_form_changes_nothing_twice(world):
    case = world.cases["AL-police"]
    lead = world.client(Role.INVESTIGATOR)
    body = {"username": "al_case_worker", "team_role": "ngo_contact", "version": version(case)}
    assert lead.post(url(case, "team/add/"), body).status_code == 302
    again = lead.post(url(case, "team/add/"), body)  # built from the version before the first
    assert again.status_code == 409 and "Nothing was saved" in again.content.decode()
    body["version"] = version(case)
    again = lead.post(url(case, "team/add/"), body)
    assert again.status_code == 422 and "already on the team" in summary(again)
    assert TeamChange.objects.filter(case=case).count() == 1
    existing = {"existing-person_id": world.persons["AL-suspect"].pk, "existing-role": "witness"}
    assert lead.post(url(case, "persons/existing/"), existing).status_code == 302
    again = lead.post(url(case, "persons/existing/"), existing)
    assert again.status_code == 422 and "already has this role" in summary(again)
    assert Involvement.objects.filter(case=case, role="witness").count() == 1

"""Pages and API of the duplicate review: shown to who sees both, decided by reviewers."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from crossroads.access.choices import Role
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.jobs.choices import JobStatus
from crossroads.linkage.models import CandidateStatus, DedupeRun, MatchCandidate, PersonMerge
from crossroads.registry.models import Case, Person
from tests.conftest import state_purpose
from tests.web.test_pages import FORM as PAGE_FORM

pytestmark = pytest.mark.django_db

REGISTRATION = {**PAGE_FORM, "given_names": "Jelena", "family_name": "Petrović", "father_name": "",
                "birth_date": "2001-05-04", "place_of_birth": "", "citizenships": [],
                "country_of_recruitment": "", "country_of_exploitation": "",
                # Offered the existing person before saving (issue 21, point 8), the worker
                # says this is another one: the twin is saved and flagged as usual.
                "existing_person": "new"}


def register_twin_by_page(world):
    client = world.client(Role.INVESTIGATOR, "RS")
    before = set(Case.objects.values_list("pk", flat=True))
    response = client.post(reverse("register-victim"), REGISTRATION)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.exclude(pk__in=before).get()
    return client, case


def test_case_page_shows_the_candidate_to_who_sees_both(world):
    client, case = register_twin_by_page(world)
    old = world.persons["RS-victim"]
    page = client.get(reverse("case-page", args=[case.pk])).content.decode()
    assert "Possibly the same as" in page and "Јелена Петровић" in page
    assert reverse("person-page", args=[old.pk]) in page
    assert "family name" in page  # a reason
    read = AuditEntry.objects.filter(action=Action.READ_IDENTITY, actor="rs_investigator").last()
    assert old.pk in read.details["ids"]
    # The old case page, to the shelter's case worker who sees only the old record: nothing.
    worker = world.client(Role.CASE_WORKER, "RS")
    page = worker.get(reverse("case-page", args=[world.cases["RS-police"].pk])).content.decode()
    assert "Possibly the same as" not in page and "Petrović" not in page
    # To the investigator, the old case page shows it too.
    page = client.get(reverse("case-page", args=[world.cases["RS-police"].pk])).content.decode()
    assert "Possibly the same as" in page and "Jelena Petrović" in page


def test_queue_confirm_and_undo_by_pages(world):
    client, case = register_twin_by_page(world)
    candidate = MatchCandidate.objects.get()
    page = client.get(reverse("duplicates")).content.decode()
    assert f'id="pair-{candidate.pk}"' in page
    assert (
        world.client(Role.CASE_WORKER, "RS").get(reverse("duplicates")).content.decode().count("pair-") == 0
    )
    response = client.post(reverse("duplicate-decide", args=[candidate.pk, "confirm"]))
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    old = world.persons["RS-victim"]
    for person_id in (old.pk, merge.merged_id):   # opened from the queue: a purpose is asked
        state_purpose(client, reverse("person-page", args=[person_id]))
    page = client.get(reverse("person-page", args=[old.pk])).content.decode()
    assert case.reference in page and world.cases["RS-police"].reference in page
    merged_page = client.get(reverse("person-page", args=[merge.merged_id])).content.decode()
    assert "merged into" in merged_page
    client.post(reverse("merge-undo", args=[merge.pk]))
    assert Person.objects.get(pk=merge.merged_id).merged_into_id is None
    assert MatchCandidate.objects.get().status == CandidateStatus.OPEN


def test_decisions_need_a_reviewer_who_sees_both(world):
    register_twin_by_page(world)
    candidate = MatchCandidate.objects.get()
    url = reverse("duplicate-decide", args=[candidate.pk, "reject"])
    assert world.client(Role.CASE_WORKER, "RS").post(url).status_code == 404
    assert world.client(Role.INVESTIGATOR, "AL").post(url).status_code == 404
    assert world.client(Role.FOCAL_POINT, "RS").post(url).status_code == 403
    assert MatchCandidate.objects.get().status == CandidateStatus.OPEN


def test_api_queue_confirm_reject_undo(world):
    register_twin_by_page(world)
    candidate = MatchCandidate.objects.get()
    api = world.api(Role.INVESTIGATOR, "RS")
    body = api.get("/api/v1/duplicates").json()
    assert body["count"] == 1 and body["items"][0]["reasons"]
    assert world.api(Role.CASE_WORKER, "RS").get("/api/v1/duplicates").json()["count"] == 0
    assert world.api(Role.COORDINATOR, "RS").get("/api/v1/duplicates").status_code == 403
    assert (
        world.api(Role.CASE_WORKER, "RS")
        .post(f"/api/v1/duplicates/{candidate.pk}/confirm", {}, content_type="application/json")
        .status_code
        == 404
    )
    merge = api.post(
        f"/api/v1/duplicates/{candidate.pk}/confirm", {"reason": "same"}, content_type="application/json"
    ).json()
    assert merge["survivor_id"] == world.persons["RS-victim"].pk and merge["undone_at"] is None
    again = api.post(f"/api/v1/duplicates/{candidate.pk}/reject", {}, content_type="application/json")
    assert again.status_code == 422
    undone = api.post(f"/api/v1/merges/{merge['id']}/undo").json()
    assert undone["undone_at"]
    rejected = api.post(
        f"/api/v1/duplicates/{candidate.pk}/reject", {}, content_type="application/json"
    ).json()
    assert rejected["status"] == "rejected"
    assert api.get("/api/v1/duplicates").json()["count"] == 0


def test_dedupe_run_page_queues_and_shows_progress(world):
    coordinator = world.client(Role.COORDINATOR, "RS")
    page = coordinator.get(reverse("duplicates")).content.decode()
    assert "Re-run deduplication of the whole node" in page and "pair-" not in page
    coordinator.post(reverse("dedupe-start"))
    run = DedupeRun.objects.get()
    assert run.status == JobStatus.QUEUED  # queued: the request never runs it
    page = coordinator.get(reverse("duplicates")).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page
    call_command("tasks", "work", "--once", stdout=io.StringIO())
    progress = reverse("job-progress", args=[run.job_id])
    fragment = coordinator.get(progress).content.decode()
    assert 'value="100"' in fragment and "hx-trigger" not in fragment
    # Polled by htmx, a job that has ended reloads the page (which shows the pairs found).
    assert coordinator.get(progress, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    assert "possible duplicate pair" in coordinator.get(reverse("duplicates")).content.decode()
    assert world.client(Role.CASE_WORKER, "RS").get(progress).status_code == 404
    assert world.client(Role.COORDINATOR, "AL").get(progress).status_code == 404
    assert world.client(Role.ANALYST, "RS").get(reverse("duplicates")).status_code == 404

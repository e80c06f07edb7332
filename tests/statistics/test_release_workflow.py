"""Releases in the node through the API: queued by a coordinator, made by the task runner,
approved by a second coordinator (four-eyes), then listed and downloaded by analysts; the
privacy ledger; and concurrent releases that cannot overspend it (PostgreSQL)."""

import io
import os
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.audit.models import AuditEntry
from crossroads.jobs import services as jobs
from crossroads.jobs.worker import run_now
from crossroads.registry.models import FORM_FIELDS
from crossroads.statistics import ledger, release_workflow, tasks
from crossroads.statistics.models import PrivacyLedgerEntry, Release
from crossroads.statistics.releases import ReleaseSpec, validated
from tests.conftest import login_as

JSON = {"content_type": "application/json"}


@pytest.fixture
def releases(world, settings, tmp_path):
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path / "releases")
    settings.CROSSROADS_PRIVACY_BUDGET = "2"
    second = User.objects.create_user("al_coordinator_2", password="x" * 16, role=Role.COORDINATOR,
                                      agency=world.user(Role.COORDINATOR).agency)
    from crossroads.access.models import ApiToken

    world.users[("AL", "coordinator_2")] = second
    world.tokens[second.username] = ApiToken.issue(second, "test", scope="write")[1]
    return world


def work():
    call_command("tasks", "work", "--once", stdout=io.StringIO())


def queue(world, body, role=Role.COORDINATOR):
    return world.api(role).post("/api/v1/releases", body, **JSON)


def test_four_eyes_then_analysts_download(releases):
    world = releases
    response = queue(world, {"kind": "synthetic", "epsilon": 0.5})
    assert response.status_code == 202, response.content
    release_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    work()
    release = Release.objects.get(pk=release_id)
    assert release.status == "prepared" and release.epsilon == Decimal("0.5")
    assert release.files and set(release.files) == {"synthetic.csv"}
    # Not yet approved: analysts do not see it; nobody downloads it.
    analyst = world.api(Role.ANALYST)
    assert analyst.get(f"/api/v1/releases/{release_id}").status_code == 404
    assert analyst.get("/api/v1/releases").json()["count"] == 0
    assert analyst.get(f"/api/v1/releases/{release_id}/files/synthetic.csv").status_code == 404
    # The coordinators of the jurisdiction read the files before the decision (audited).
    coordinator = world.api(Role.COORDINATOR)
    for reviewer in (coordinator, world.api("coordinator_2")):
        review = reviewer.get(f"/api/v1/releases/{release_id}/files/synthetic.csv")
        assert review.status_code == 200 and b"".join(review.streaming_content)
    entry = AuditEntry.objects.filter(action="export", object_type="statistics.release").latest("id")
    assert entry.actor == "al_coordinator_2" and entry.purpose == "release review before approval"
    assert world.api(Role.COORDINATOR, "RS").get(
        f"/api/v1/releases/{release_id}/files/synthetic.csv").status_code == 404
    # The coordinator who prepared it may not approve it; another jurisdiction's cannot see it.
    assert coordinator.post(f"/api/v1/releases/{release_id}/approve", {}, **JSON).status_code == 403
    assert world.api(Role.COORDINATOR, "RS").post(
        f"/api/v1/releases/{release_id}/approve", {}, **JSON).status_code == 404
    assert analyst.post(f"/api/v1/releases/{release_id}/approve", {}, **JSON).status_code == 404
    second = world.api("coordinator_2")
    approved = second.post(f"/api/v1/releases/{release_id}/approve", {"reason": "checked"}, **JSON)
    assert approved.status_code == 200 and approved.json()["approved_by"] == "al_coordinator_2"
    assert second.post(f"/api/v1/releases/{release_id}/approve", {}, **JSON).status_code == 422
    # Now analysts of the jurisdiction see it and download its files (audited as exports).
    listed = analyst.get("/api/v1/releases").json()
    assert [r["id"] for r in listed["items"]] == [release_id]
    assert listed["items"][0]["manifest"]["approved_by"] == "al_coordinator_2"
    download = analyst.get(f"/api/v1/releases/{release_id}/files/synthetic.csv")
    assert download.status_code == 200
    body = b"".join(download.streaming_content).decode()
    assert body.splitlines()[0] == ",".join(["year", "sex", "age_band", "citizenship",
                                             "country_of_exploitation", *FORM_FIELDS.values()])
    assert len(body.splitlines()) == 1 + release.manifest["released"]
    manifest = analyst.get(f"/api/v1/releases/{release_id}/files/manifest.json")
    assert b'"approved_by": "al_coordinator_2"' in b"".join(manifest.streaming_content)
    export = AuditEntry.objects.filter(action="export", object_type="statistics.release").latest("id")
    assert export.actor == "al_analyst" and export.details["file"] == "manifest.json"
    assert analyst.get(f"/api/v1/releases/{release_id}/files/../../etc").status_code == 404
    assert world.api(Role.ANALYST, "RS").get(f"/api/v1/releases/{release_id}").status_code == 404
    assert world.api(Role.INVESTIGATOR).get("/api/v1/releases").status_code == 403


def test_the_ledger_refuses_over_budget_when_queuing_and_when_running(releases):
    world = releases
    assert queue(world, {"kind": "tables", "epsilon": 1.5}).status_code == 202
    refused = queue(world, {"kind": "synthetic", "epsilon": 1})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "epsilon"]
    work()
    ledger_view = world.api(Role.ANALYST).get("/api/v1/privacy-ledger").json()["items"]
    assert ledger_view[0]["jurisdiction"] == "AL"
    assert ledger_view[0]["spent"] == 1.5 and ledger_view[0]["remaining"] == 0.5
    assert len(ledger_view[0]["entries"]) == 1
    assert [b["jurisdiction"] for b in world.api(Role.COORDINATOR, "RS").get(
        "/api/v1/privacy-ledger").json()["items"]] == ["RS"]
    # The budget lowered meanwhile by a coordinator: the queued release is refused when it runs.
    ok = queue(world, {"kind": "tables", "epsilon": 0.4})
    release_workflow.change_budget(world.user(Role.COORDINATOR), "AL", "1.6")
    work()
    late = Release.objects.get(pk=ok.json()["id"])
    assert late.status == "refused" and "privacy budget" in late.error and not late.folder
    assert not late.ledger_entries.exists()
    assert sum(e.epsilon for e in PrivacyLedgerEntry.objects.all()) == Decimal("1.5")


def test_release_requests_are_validated(releases):
    world = releases
    for body, field in [({"kind": "microdata", "k": 1}, "k"),
                        ({"kind": "microdata", "epsilon": 1}, "epsilon"),
                        ({"kind": "synthetic"}, "epsilon"),
                        ({"kind": "tables", "columns": ["secret"]}, "columns"),
                        ({"kind": "nothing"}, "kind")]:
        response = queue(world, body)
        assert response.status_code == 422, body
        assert field in response.json()["detail"][0]["loc"], (body, response.json())
    assert not Release.objects.exists()
    assert queue(world, {"kind": "tables"}, Role.ANALYST).status_code == 403


def test_rejection_deletes_the_files(releases):
    world = releases
    release_id = queue(world, {"kind": "microdata", "k": 2}).json()["id"]
    work()
    release = Release.objects.get(pk=release_id)
    assert release.status == "prepared" and release.suppression_rate is not None
    second = world.api("coordinator_2")
    assert second.post(f"/api/v1/releases/{release_id}/reject", {}, **JSON).status_code == 422
    assert second.post(f"/api/v1/releases/{release_id}/reject", {"reason": "too detailed"},
                       **JSON).status_code == 200
    from pathlib import Path

    assert not Path(release.folder).exists()


def test_pages_four_eyes_and_catalogue(releases):
    world = releases
    page = login_as(world.user(Role.COORDINATOR))
    response = page.post("/releases/", {"kind": "tables", "threshold": "5", "epsilon": "0.5"})
    assert response.status_code == 302
    release = Release.objects.get()
    listed = page.get("/releases/").content.decode()
    assert f"/jobs/{release.job_id}/progress/" in listed and "Queued" in listed  # polled
    progress = page.get(f"/jobs/{release.job_id}/progress/").content.decode()
    assert "hx-get" in progress and "Queued" in progress  # polled while queued or running
    assert login_as(world.user(Role.ANALYST)).get(
        f"/jobs/{release.job_id}/progress/").status_code == 404
    work()
    assert "hx-get" not in page.get(f"/jobs/{release.job_id}/progress/").content.decode()
    page_html = page.get("/releases/").content.decode()
    assert "0.5" in page_html and "Awaiting approval" in page_html
    assert "Check the files before the decision" in page_html
    assert f"/releases/{release.pk}/files/manifest.json" in page_html
    # The preparer's approval is refused; the second coordinator's is taken.
    assert page.post(f"/releases/{release.pk}/approve/").status_code == 403
    second = login_as(world.user("coordinator_2"))
    assert second.post(f"/releases/{release.pk}/approve/").status_code == 302
    release.refresh_from_db()
    assert release.status == "approved" and release.approved_by == world.user("coordinator_2")
    analyst = login_as(world.user(Role.ANALYST))
    catalogue = analyst.get("/releases/catalogue/")
    assert catalogue.status_code == 200 and f"/releases/{release.pk}/files/" in catalogue.content.decode()
    name = next(iter(release.files))
    assert analyst.get(f"/releases/{release.pk}/files/{name}").status_code == 200
    assert analyst.get("/releases/").status_code == 403
    assert login_as(world.user(Role.CASE_WORKER)).get("/releases/catalogue/").status_code == 403


def test_queue_form_errors_name_the_field(releases):
    page = login_as(releases.user(Role.COORDINATOR))
    response = page.post("/releases/", {"kind": "synthetic", "epsilon": "9"})
    assert response.status_code == 422
    assert "privacy budget" in response.content.decode()
    assert not Release.objects.exists()


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs PostgreSQL (SQLite's test database is one in-memory connection)")
def test_concurrent_releases_cannot_overspend(committing_db, tmp_path, settings):
    """Two releases of ε = 1.5 at once on a budget of 2: exactly one passes (PostgreSQL locks
    the budget row; the other waits, then sees the first's entry and is refused)."""
    from tests.conftest import build_world

    settings.CROSSROADS_PRIVACY_BUDGET = "2"
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path)
    world = build_world()
    ledger.budget_of("AL")
    spec = validated(ReleaseSpec("tables", epsilon="1.5", jurisdiction="AL"))
    # Both queued past the early check (as two task runners would find them), then run at once.
    queued = [Release.objects.create(kind="tables", jurisdiction_id="AL", epsilon=spec.epsilon,
                                     parameters=spec.as_parameters(),
                                     created_by=world.user(Role.COORDINATOR)) for _ in range(2)]
    for release in queued:  # each with its background job, as `queue_release` makes them
        release.job = jobs.enqueue("release", tasks.release, release.pk, None,
                                   actor=release.created_by, jurisdiction="AL")
        release.save(update_fields=["job"])
    barrier, outcomes = threading.Barrier(2), []

    def one(index):
        try:
            barrier.wait()
            run_now(queued[index].job)
            queued[index].refresh_from_db()
            outcomes.append(queued[index].status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["prepared", "refused"]
    assert sum(e.epsilon for e in PrivacyLedgerEntry.objects.all()) == Decimal("1.5")
    assert Release.objects.filter(status="prepared").count() == 1

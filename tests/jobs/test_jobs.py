"""One background-jobs mechanism (crossroads.jobs over django-tasks + django-tasks-db): queued
dedupe, release and reminder jobs run through `crossroads tasks work --once` and end done
with their progress; a failing task ends failed with its error shown and nothing half-written;
two workers never run the same job; the progress view answers only to who may see the job."""

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from crossroads.access.choices import Role
from crossroads.access.models import Jurisdiction
from crossroads.jobs import services
from crossroads.jobs.choices import JobStatus
from crossroads.jobs.legacy import INTERRUPTED, job_for
from crossroads.jobs.models import Job
from crossroads.jobs.worker import JobWorker
from crossroads.linkage import services as linkage_services
from crossroads.statistics import release_workflow
from crossroads.statistics.models import PrivacyLedgerEntry
from crossroads.statistics.releases import ReleaseSpec
from tests.conftest import login_as
from tests.jobs import sample_tasks

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def work() -> str:
    out = io.StringIO()
    call_command("tasks", "work", "--once", stdout=out)
    return out.getvalue()


@pytest.fixture
def node(world, settings, tmp_path):
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path / "releases")
    return world


def test_queued_dedupe_release_and_reminder_jobs_run_through_work_once(node):
    from crossroads.assistance.tasks import queue_reminders
    from tests.assistance.test_timers_and_reminders import _identified

    _identified(node, days_ago=40)  # one overdue protection timer

    run = linkage_services.queue_dedupe(node.user(Role.COORDINATOR, "RS"))
    release = release_workflow.queue_release(node.user(Role.COORDINATOR),
                                             ReleaseSpec("tables", threshold=5))
    reminders = queue_reminders()
    assert {run.job.status, release.job.status, reminders.job.status} == {JobStatus.QUEUED}
    assert all(j.task_result_id for j in (run.job, release.job, reminders.job))
    out = work()
    for job in (run.job, release.job, reminders.job):
        job.refresh_from_db()
        assert job.status == JobStatus.DONE and job.percent == 100, (job, job.error)
        assert job.total > 0 and job.done == job.total and job.finished_at and job.started_at
        assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"
    assert f"deduplication run {run.job_id} (RS) started" in out
    assert f"deduplication run {run.job_id}: done, 0 pair(s)" in out
    assert f"release {release.job_id}: done, release {release.pk} prepared" in out
    assert f"reminder run {reminders.job_id}: done, 1 reminder(s)" in out
    release.refresh_from_db()
    assert release.status == "prepared" and release.percent == 100
    assert work() == ""  # nothing left: each ran once


def test_a_failing_task_ends_failed_with_its_error_and_writes_nothing(node):
    requester = node.user(Role.COORDINATOR)
    job = services.enqueue("test", sample_tasks.explode, "doomed", actor=requester,
                           jurisdiction="AL")
    out = work()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "the doomed job broke"
    assert job.done == 0 and job.finished_at  # its progress was in the rolled-back work too
    assert not Jurisdiction.objects.filter(code="ZZ").exists()
    assert f"test job {job.pk}: failed, the doomed job broke" in out
    result = DBTaskResult.objects.get(id=job.task_result_id)
    assert result.status == "FAILED" and "RuntimeError" in result.traceback
    fragment = login_as(requester).get(reverse("job-progress", args=[job.pk])).content.decode()
    assert "Failed" in fragment and "the doomed job broke" in fragment
    assert "hx-trigger" not in fragment  # no more polling


def test_a_failing_release_fails_its_job_and_leaves_no_file_nor_epsilon(node, monkeypatch):
    from crossroads.statistics import releases

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setitem(releases.PRODUCERS, "synthetic", broken)
    coordinator = node.user(Role.COORDINATOR)
    release = release_workflow.queue_release(coordinator, ReleaseSpec("synthetic", epsilon="0.5"))
    out = work()
    release.refresh_from_db()
    release.job.refresh_from_db()
    assert release.status == "failed" and release.error == "disk full"
    assert release.job.status == JobStatus.FAILED and release.job.error == "disk full"
    assert f"release {release.job_id}: failed, disk full" in out
    assert not PrivacyLedgerEntry.objects.exists() and not release.files
    page = login_as(coordinator).get(reverse("releases")).content.decode()
    assert "disk full" in page


def test_a_failing_reminder_run_records_no_reminder(world, monkeypatch):
    from crossroads.assistance.models import ProtectionTimer, Reminder
    from crossroads.assistance.tasks import queue_reminders
    from tests.assistance.test_timers_and_reminders import _identified

    _identified(world, days_ago=40, may_be_child=True, unaccompanied=True)  # two overdue
    calls = []

    def state_on(self, today):
        calls.append(self.pk)
        if len(calls) > 1:
            raise RuntimeError("clock broke")
        return "overdue"

    monkeypatch.setattr(ProtectionTimer, "state_on", state_on)
    run = queue_reminders()
    work()
    run.job.refresh_from_db()
    assert len(calls) == 2 and run.job.status == JobStatus.FAILED
    assert run.job.error == "clock broke" and not Reminder.objects.exists()  # none of the two


def test_a_job_is_claimed_once(node):
    job = services.enqueue("test", sample_tasks.count_to, 3)
    first, second = JobWorker(lambda _l: None), JobWorker(lambda _l: None)
    claimed = first.claim()
    assert claimed is not None and str(claimed.id) == job.task_result_id
    assert second.claim() is None  # the task row is running: nobody else gets it
    # The job's own claim is one conditional UPDATE: a second start finds it running.
    assert services.start(job.pk) is not None and services.start(job.pk) is None
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    first.run_task(claimed)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total == 3


@pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (threads share one committed database)")
def test_two_workers_never_run_the_same_job_on_postgresql(committing_db):  # noqa: F811
    jobs = [services.enqueue("test", sample_tasks.count_to, 2, "", 0.05) for _ in range(8)]
    sample_tasks.RAN.clear()
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            JobWorker(lambda _l: None).drain()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sample_tasks.RAN) == sorted(j.pk for j in jobs)  # each once, none lost
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.DONE}


@pytest.mark.skipif(POSTGRES, reason="the SQLite pass covers it")
def test_two_worker_processes_never_run_the_same_job_on_sqlite(tmp_path):
    """Two `crossroads tasks work --once` processes on one SQLite file (WAL): each job once."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'node.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "crossroads.settings.test", "PYTHONPATH": str(ROOT),
           "CROSSROADS_DATA_DIR": str(tmp_path)}
    python = [sys.executable, "-c"]
    manage = "import django, sys; django.setup(); from django.core.management import call_command; "
    subprocess.run([*python, manage + "call_command('migrate', verbosity=0)"], env=env, check=True,
                   cwd=ROOT, timeout=300)
    log = tmp_path / "ran.log"
    subprocess.run([*python, "import django; django.setup(); from crossroads.jobs import services; "
                    "from tests.jobs.sample_tasks import count_to; "
                    f"[services.enqueue('test', count_to, 2, {str(log)!r}, 0.05) for _ in range(8)]"],
                   env=env, check=True, cwd=ROOT, timeout=120)
    workers = [subprocess.Popen([*python, manage + "call_command('tasks', 'work', '--once')"],
                                env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers)
    ran = log.read_text().split()
    assert len(ran) == 8 and len(set(ran)) == 8, outputs
    assert sum(o.count("started") for o in outputs) == 8


def test_the_progress_view_answers_only_to_who_may_see_the_job(node):
    coordinator = node.user(Role.COORDINATOR, "RS")
    run = linkage_services.queue_dedupe(coordinator)
    url = reverse("job-progress", args=[run.job_id])
    # The requester, and who holds the kind's capability in the job's jurisdiction.
    assert login_as(coordinator).get(url).status_code == 200
    assert node.client(Role.INVESTIGATOR, "RS").get(url).status_code == 200
    for role, code in ((Role.CASE_WORKER, "RS"), (Role.COORDINATOR, "AL"), (Role.ANALYST, "RS"),
                       (Role.ADMINISTRATOR, "RS")):
        assert node.client(role, code).get(url).status_code == 404, (role, code)
    assert node.client(Role.INVESTIGATOR, "RS").get(url).content.count(b"<progress") == 1
    # Anonymous: the login page. A job without requester nor watchers (cron's): nobody.
    from django.test import Client

    assert Client().get(url).status_code == 302
    from crossroads.assistance.tasks import queue_reminders

    cron = reverse("job-progress", args=[queue_reminders().job_id])
    assert node.client(Role.COORDINATOR, "RS").get(cron).status_code == 404
    assert node.client(Role.COORDINATOR, "RS").get(
        reverse("job-progress", args=[99999])).status_code == 404


def test_a_migrated_queued_run_is_run_by_the_worker(node):
    """`jobs.legacy` (the migrations' helper): a row queued before the upgrade runs after it; one
    left running ends failed with a note."""
    from crossroads.linkage.models import DedupeRun

    coordinator = node.user(Role.COORDINATOR, "RS")
    run = DedupeRun.objects.create(jurisdiction_id="RS", started_by=coordinator)
    run.job = job_for(apps, "dedupe", status="queued", task_path="crossroads.linkage.tasks.dedupe",
                      args=[run.pk], jurisdiction_id="RS", requested_by_id=coordinator.pk)
    run.save(update_fields=["job"])
    interrupted = job_for(apps, "dedupe", status="running", task_path="unused", args=[])
    assert interrupted.status == JobStatus.FAILED and interrupted.error == INTERRUPTED
    assert f"deduplication run {run.job_id}: done" in work()
    run.job.refresh_from_db()
    assert run.job.status == JobStatus.DONE


def test_the_summary_recount_is_periodic_work(node):
    """Records changed: the worker queues one recount job per changed jurisdiction itself."""
    from crossroads.statistics import summary

    call_command("tasks", "recount", stdout=io.StringIO())
    assert summary.next_changed() is not None
    out = work()
    assert "dashboard summary" in out and "year(s) recounted" in out
    assert summary.next_changed() is None
    assert set(Job.objects.filter(kind="summary").values_list("status", flat=True)) == {"done"}
    assert work() == ""

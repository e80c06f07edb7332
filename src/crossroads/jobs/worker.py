"""The worker behind `crossroads tasks work`: django-tasks-db's claim and run, with a line per
job and the periodic sources (`jobs.kinds.periodic`) asked on every round.

It claims through django-tasks-db's own API: the oldest ready task row, locked with
`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL and inside an exclusive transaction on
SQLite, marked running in that transaction; then the job itself is claimed with one
conditional UPDATE (`services.start`). Either lock alone keeps two workers off one job."""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import kinds
from .choices import JobStatus
from .models import Job

PRUNE_EVERY = timedelta(minutes=10)


def describe(job: Job) -> str:
    where = f" ({job.jurisdiction_id})" if job.jurisdiction_id else ""
    return f"{kinds.kind_of(job.kind).noun} {job.pk}{where}"


def outcome(job: Job) -> str:
    said = job.error if job.status == JobStatus.FAILED else job.message
    return f"{kinds.kind_of(job.kind).noun} {job.pk}: {job.status}{', ' + said if said else ''}"


class JobWorker(Worker):
    """django-tasks-db's worker, one claim at a time, printing what it runs to `write`."""

    def __init__(self, write, *, backend_name: str = DEFAULT_TASK_BACKEND_ALIAS):
        super().__init__(queue_names=["*"], interval=0, batch=True, backend_name=backend_name,
                         startup_delay=False, max_tasks=None, excluded_queue_names=[],
                         worker_id=get_random_string(32))
        self.write = write
        self.ran = 0
        self._pruned_at = None

    def claim(self) -> DBTaskResult | None:
        """The next ready task, marked as claimed by this worker (None if there is none, or
        if SQLite is busy: the next round tries again)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        try:
            with exclusive_transaction(tasks.db):
                result = tasks.get_locked()
                if result is not None:
                    result.claim(self.worker_id)
                return result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise

    def run_task(self, db_task_result: DBTaskResult) -> None:
        job = Job.objects.filter(task_result_id=str(db_task_result.id)).first()
        if job is not None:
            self.write(f"{describe(job)} started")
        super().run_task(db_task_result)
        if job is not None:
            job.refresh_from_db()
            self.write(outcome(job))
        else:
            db_task_result.refresh_from_db()
            self.write(f"task {db_task_result.task_path}: {db_task_result.status.lower()}")

    def poll(self) -> int:
        """Ask every periodic source to queue what is due; how many jobs they queued."""
        return sum(source() or 0 for source in kinds.sources())

    def drain(self) -> int:
        """Run ready tasks until none is left; how many ran."""
        ran = 0
        while self.running:
            if not connection.in_atomic_block:  # as a request would: drop broken connections
                close_old_connections()
            result = self.claim()
            if result is None:
                break
            self.run_task(result)
            ran += 1
        self.ran += ran
        return ran

    def prune(self) -> None:
        """Forget the finished jobs of the kinds that keep them for a while only (periodic
        work), with their task rows, every PRUNE_EVERY."""
        now = timezone.now()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        for kind in kinds.kinds():
            if kind.keep is None:
                continue
            old = Job.objects.filter(kind=kind.name, status=JobStatus.DONE,
                                     finished_at__lt=now - kind.keep)
            DBTaskResult.objects.filter(
                id__in=[i for i in old.values_list("task_result_id", flat=True) if i]).delete()
            old.delete()

    def work(self, *, once: bool, sleep: float) -> None:
        while self.running:
            queued = self.poll()
            ran = self.drain()
            self.prune()
            if not (queued or ran):
                if once:
                    return
                time.sleep(sleep)


def run_now(job: Job) -> Job:
    """Run one queued job here and now, as a worker would (claimed the same way, so no worker
    runs it again): for seeding the demo, where a queue would only make the seed wait."""
    worker = JobWorker(lambda _line: None)
    tasks = DBTaskResult.objects.ready().filter(id=job.task_result_id)
    with exclusive_transaction(tasks.db):
        result = tasks.get_locked()
        if result is not None:
            result.claim(worker.worker_id)
    if result is not None:
        worker.run_task(result)
    job.refresh_from_db()
    return job

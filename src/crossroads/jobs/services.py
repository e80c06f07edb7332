"""Queue a job, report its progress, end it: the whole life of a `Job`.

`enqueue` creates the Job and enqueues its django task with the job's id as first argument.
With the database backend (django-tasks-db, the configured one) the task row is written in
the same transaction as the Job and the domain object: a worker sees all three when the
transaction commits, or none of them if it rolls back. With any other backend the task is
enqueued on commit (`transaction.on_commit`), so it never runs before its rows exist.

A task function wrapped in `tracked` receives the Job instead of its id: it is claimed
(queued → running) atomically, so two workers never run the same job; what it returns is the
job's message; an exception fails the job with its error (and is raised again, so that
django-tasks records the traceback)."""

from __future__ import annotations

import functools
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .choices import ACTIVE, JobStatus
from .models import Job

log = logging.getLogger(__name__)


def _transactional(task) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue(kind: str, task, *args, actor=None, jurisdiction=None) -> Job:
    """Create a Job of `kind` and enqueue `task(job.pk, *args)` (see the module's note)."""
    jurisdiction_id = getattr(jurisdiction, "pk", jurisdiction) or None
    with transaction.atomic():
        job = Job.objects.create(kind=kind, requested_by=actor, jurisdiction_id=jurisdiction_id)

        def send():
            try:
                result = task.enqueue(job.pk, *args)
            except Exception as error:
                log.exception("job %s could not be enqueued", job.pk)
                fail(job.pk, error)
                raise
            job.task_result_id = str(result.id)
            Job.objects.filter(pk=job.pk).update(task_result_id=job.task_result_id)

        if _transactional(task):
            send()
        else:
            transaction.on_commit(send)
    return job


def active_job(kind: str, jurisdiction=None) -> Job | None:
    """The queued or running job of that kind (and jurisdiction), if any."""
    jurisdiction_id = getattr(jurisdiction, "pk", jurisdiction) or None
    return Job.objects.filter(kind=kind, jurisdiction_id=jurisdiction_id,
                              status__in=ACTIVE).order_by("id").first()


def start(job_id: int) -> Job | None:
    """Claim a queued job (queued → running, one UPDATE: only one worker wins). None when
    it is not queued any more (another worker has it, or it ended)."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), done=0, error="")
    return Job.objects.get(pk=job_id) if claimed else None


def progress(job_id: int, done: int, total: int | None = None) -> None:
    """`done` of `total` steps (total unchanged when None). Call it between the task's write
    transactions, not inside one, so that the page polling the job sees it at once."""
    values = {"done": done} if total is None else {"done": done, "total": total}
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(**values)


def finish(job_id: int, message: str = "") -> None:
    """Done: its progress complete (`done` = `total`), `message` what it produced."""
    Job.objects.filter(pk=job_id).update(status=JobStatus.DONE, message=str(message)[:500],
                                         done=F("total"), finished_at=timezone.now())


def fail(job_id: int, error) -> None:
    text = str(error) or type(error).__name__
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=text[:500],
                                         finished_at=timezone.now())


def tracked(func):
    """Wrap a task function `func(job, *args) -> message` (put `@task()` above it)."""

    @functools.wraps(func)
    def run(job_id: int, *args, **kwargs):
        job = start(job_id)
        if job is None:
            log.warning("job %s is not queued any more: not run again", job_id)
            return None
        try:
            message = func(job, *args, **kwargs)
        except Exception as error:
            log.exception("job %s (%s) failed", job_id, job.kind)
            fail(job_id, error)
            raise
        finish(job_id, message or "")
        return message

    return run

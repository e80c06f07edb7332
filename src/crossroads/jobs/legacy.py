"""For the migrations that moved the old queues (deduplication runs, releases, reminder runs)
onto jobs: one Job per stored row, with its state, progress and outcome; a row still queued
gets its django-tasks row too, so the first `crossroads tasks work` after the upgrade runs it.
A row left `running` had lost its worker when the node stopped for the upgrade: its job ends
failed with a note, so the page offers to start it again. Uses the migrations' historical
models only; keep it as it is (migrations depend on it)."""

import datetime
import uuid

from django.utils import timezone

INTERRUPTED = "Interrupted when the node was upgraded; start it again."
NEVER = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)  # django-tasks-db: no run_after


def job_for(apps, kind: str, *, status: str, task_path: str, args: list, **fields):
    """The Job of one legacy row (`status` queued/running/done/failed; `args` after the job id)."""
    Job = apps.get_model("jobs", "Job")
    if status == "running":
        status = "failed"
        fields["error"] = fields.get("error") or INTERRUPTED
        fields["finished_at"] = fields.get("finished_at") or timezone.now()
    job = Job.objects.create(kind=kind, status=status, **fields)
    if status == "queued":
        result = apps.get_model("django_tasks_database", "DBTaskResult").objects.create(
            id=uuid.uuid4(), status="READY", args_kwargs={"args": [job.pk, *args], "kwargs": {}},
            priority=0, task_path=task_path, queue_name="default", backend_name="default",
            run_after=NEVER, worker_ids=[], exception_class_path="", traceback="")
        job.task_result_id = str(result.id)
        job.save(update_fields=["task_result_id"])
    return job

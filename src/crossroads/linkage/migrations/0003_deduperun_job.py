"""Deduplication runs keep what they found; their queue state and progress move to their Job
(crossroads.jobs), nothing stored lost: each run gets a Job with its status, progress, error
and times (`crossroads.jobs.legacy`); a queued run is enqueued for the worker."""

import django.db.models.deletion
from django.db import migrations, models

from crossroads.jobs.legacy import job_for

FIELDS = ("status", "done", "total", "error", "started_at", "finished_at")


def forwards(apps, schema_editor):
    for run in apps.get_model("linkage", "DedupeRun").objects.order_by("pk"):
        run.job = job_for(
            apps, "dedupe", status=run.status, task_path="crossroads.linkage.tasks.dedupe",
            args=[run.pk], done=run.done, total=run.total, error=run.error,
            jurisdiction_id=run.jurisdiction_id, requested_by_id=run.started_by_id,
            created_at=run.created_at, started_at=run.started_at, finished_at=run.finished_at,
            message=f"{run.pairs_found} pair(s)" if run.status == "done" else "")
        run.save(update_fields=["job"])


def backwards(apps, schema_editor):
    for run in apps.get_model("linkage", "DedupeRun").objects.select_related("job"):
        if run.job_id:
            for name in FIELDS:
                setattr(run, name, getattr(run.job, name))
            run.save(update_fields=list(FIELDS))


class Migration(migrations.Migration):

    dependencies = [
        ("linkage", "0002_row_keys_and_encrypted_decision_reasons"),
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="deduperun",
            name="job",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="dedupe_run", to="jobs.job"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="deduperun", name="done"),
        migrations.RemoveField(model_name="deduperun", name="error"),
        migrations.RemoveField(model_name="deduperun", name="finished_at"),
        migrations.RemoveField(model_name="deduperun", name="started_at"),
        migrations.RemoveField(model_name="deduperun", name="status"),
        migrations.RemoveField(model_name="deduperun", name="total"),
    ]

"""Releases keep their own status (their four-eyes life); the progress of one being made
moves to its Job (crossroads.jobs). A release still queued or running gets a Job with its
progress (`crossroads.jobs.legacy`: a queued one is enqueued; a running one had lost its
worker, so it ends failed with a note, no file and no ε recorded, as any failure). Finished
releases need no job: their progress was 100 %."""

import django.db.models.deletion
from django.db import migrations, models

from crossroads.jobs.legacy import INTERRUPTED, job_for


def forwards(apps, schema_editor):
    Release = apps.get_model("statistics", "Release")
    for release in Release.objects.filter(status__in=["queued", "running"]).order_by("pk"):
        release.job = job_for(
            apps, "release", status=release.status, task_path="crossroads.statistics.tasks.release",
            args=[release.pk, None], done=release.done, total=100,
            jurisdiction_id=release.jurisdiction_id, requested_by_id=release.created_by_id,
            created_at=release.created_at)
        if release.status == "running":
            release.status, release.error = "failed", release.error or INTERRUPTED
        release.save(update_fields=["job", "status", "error"])


def backwards(apps, schema_editor):
    Release = apps.get_model("statistics", "Release")
    for release in Release.objects.select_related("job"):
        release.done = release.job.done if release.job_id and release.job.total else 100
        release.save(update_fields=["done"])


class Migration(migrations.Migration):

    dependencies = [
        ("statistics", "0005_budget_change_and_hub_publication"),
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="job",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="release", to="jobs.job"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="release", name="done"),
    ]

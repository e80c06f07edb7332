"""Reminder runs keep how many reminders they recorded; their queue state moves to their Job
(crossroads.jobs), nothing stored lost (`crossroads.jobs.legacy`); a queued run is enqueued."""

import django.db.models.deletion
from django.db import migrations, models

from crossroads.jobs.legacy import job_for


def forwards(apps, schema_editor):
    for run in apps.get_model("assistance", "ReminderRun").objects.order_by("pk"):
        status = run.status if run.status in {"queued", "running", "done", "failed"} else "done"
        run.job = job_for(
            apps, "reminders", status=status, task_path="crossroads.assistance.tasks.reminders",
            args=[run.pk], created_at=run.created_at, finished_at=run.finished_at,
            done=1 if status == "done" else 0, total=1,
            message=f"{run.reminders} reminder(s)" if status == "done" else "")
        run.save(update_fields=["job"])


def backwards(apps, schema_editor):
    for run in apps.get_model("assistance", "ReminderRun").objects.select_related("job"):
        if run.job_id:
            run.status, run.finished_at = run.job.status, run.job.finished_at
            run.save(update_fields=["status", "finished_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("assistance", "0002_row_keys_and_encrypted_free_text"),
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminderrun",
            name="job",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="reminder_run", to="jobs.job"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="reminderrun", name="finished_at"),
        migrations.RemoveField(model_name="reminderrun", name="status"),
    ]

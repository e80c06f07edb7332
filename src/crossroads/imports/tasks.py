"""Background job of imports, run by `crossroads tasks work` (crossroads.jobs): one import
of a register (`services.run_import`: a check pass, then the writes in batches)."""

from django_tasks import task

from crossroads.jobs import services as jobs

from .models import CaseImport
from .services import run_import


@task()
@jobs.tracked
def case_import(job, import_id: int) -> str:
    prepared = CaseImport.objects.select_related("requested_by").get(pk=import_id)
    done = run_import(prepared, job.pk)
    return (f"{done.get_status_display()}: {done.rows} row(s), {done.created} new, "
            f"{done.unchanged} unchanged, {done.changed} changed, {done.rejected} rejected")

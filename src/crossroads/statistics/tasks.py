"""Background tasks of statistics, run by `crossroads tasks work` (crossroads.jobs).

- `release`: makes a queued release's files (`release_workflow.queue_release` queues it),
  charging its ε under the ledger lock. Over budget it is refused; any other failure marks it
  failed and fails its job. Either way no file stays and no ε is recorded (`make_release`).
- `recount_summary`: recounts the changed years of one jurisdiction's dashboard summary
  (`summary.recount`). The periodic source `summary_due` queues one per jurisdiction with a
  changed year on every round of the worker; `crossroads tasks recount` has every year
  recounted (after a restore that bypassed the summary's triggers).
"""

import logging

from django.core.exceptions import ValidationError
from django_tasks import task

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.jobs import services as jobs
from crossroads.jobs.kinds import action, periodic

from . import summary
from .models import Release, ReleaseStatus
from .releases import ReleaseSpec, make_release, release_dir

log = logging.getLogger(__name__)


@task()
@jobs.tracked
def release(job, release_id: int, seed: int | None = None) -> str:
    """Make a queued release's files (never in a request)."""
    Release.objects.filter(pk=release_id, status=ReleaseStatus.QUEUED).update(
        status=ReleaseStatus.RUNNING)
    queued = Release.objects.select_related("created_by").get(pk=release_id)
    jobs.progress(job.pk, 5, 100)
    try:
        made = make_release(ReleaseSpec.from_parameters(queued.parameters), out=release_dir(),
                            actor=queued.created_by, release=queued, seed=seed,
                            progress=lambda percent: jobs.progress(job.pk, percent, 100))
    except ValidationError as error:
        reason = " ".join(error.messages)[:500]
        Release.objects.filter(pk=release_id).update(status=ReleaseStatus.REFUSED, error=reason)
        record(queued.created_by, Action.UPDATE, queued,
               details={"task": "release", "status": ReleaseStatus.REFUSED})
        return f"release {release_id} refused: {reason}"
    except Exception as error:
        Release.objects.filter(pk=release_id).update(status=ReleaseStatus.FAILED,
                                                     error=str(error)[:500])
        record(queued.created_by, Action.UPDATE, queued,
               details={"task": "release", "status": ReleaseStatus.FAILED})
        raise
    return f"release {made.pk} {made.status}"


@task()
@jobs.tracked
def recount_summary(job, jurisdiction: str) -> str:
    years = summary.recount(jurisdiction)
    jobs.progress(job.pk, 1, 1)
    return f"{len(years)} year(s) recounted"


@periodic
def summary_due() -> int:
    """Queue a recount for every jurisdiction with a changed year and none queued yet."""
    queued = 0
    for code in summary.changed_jurisdictions():
        if jobs.active_job("summary", code) is None:
            jobs.enqueue("summary", recount_summary, code, jurisdiction=code)
            queued += 1
    return queued


@action("recount", "has the dashboards' summary recounted by `crossroads tasks work`")
def recount_all() -> str:
    return (f"dashboard summary: {summary.reset()} year(s) to recount by "
            "`crossroads tasks work`")

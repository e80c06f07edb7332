"""Demo releases of a jurisdiction: suppressed tables, prepared by the coordinator and
approved by the second coordinator (so the analysts' catalogue has one), and synthetic
microdata at ε = 0.5 awaiting approval (spent from the demo's privacy budget)."""

from crossroads.access.models import User
from crossroads.jobs.worker import run_now
from crossroads.statistics import release_workflow
from crossroads.statistics.releases import ReleaseSpec


def seed_releases(jurisdiction: str, seed: int) -> None:
    code = jurisdiction.lower()
    preparer = User.objects.get(username=f"{code}_coordinator")
    approver = User.objects.get(username=f"{code}_coordinator_2")
    tables = release_workflow.queue_release(preparer, ReleaseSpec("tables", threshold=5))
    run_now(tables.job)
    release_workflow.approve(approver, tables.pk, "demo")
    synthetic = release_workflow.queue_release(preparer, ReleaseSpec("synthetic", epsilon="0.5"),
                                               seed=seed)
    run_now(synthetic.job)

"""Demo releases of a jurisdiction: suppressed tables, prepared by the coordinator and
approved by the second coordinator (so the analysts' catalogue has one), and synthetic
microdata awaiting approval (spent from the demo's privacy budget): sex and the forms of
exploitation (one 0/1 column per form) at ε = 3, settings that keep the few hundred persons of
a demo jurisdiction recognisable (fidelity about 0.9; with the age band too the twelve
marginals leave each too little ε, about 0.6; all six columns at ε = 0.5 drown them in noise
and are refused for their fidelity)."""

from crossroads.access.models import User
from crossroads.jobs.worker import run_now
from crossroads.statistics import release_workflow
from crossroads.statistics.releases import ReleaseSpec

DEMO_SYNTHETIC_COLUMNS = ["sex", "form"]


def seed_releases(jurisdiction: str, seed: int) -> None:
    code = jurisdiction.lower()
    preparer = User.objects.get(username=f"{code}_coordinator")
    approver = User.objects.get(username=f"{code}_coordinator_2")
    tables = release_workflow.queue_release(preparer, ReleaseSpec("tables", threshold=5))
    run_now(tables.job)
    release_workflow.approve(approver, tables.pk, "demo")
    synthetic = release_workflow.queue_release(preparer, ReleaseSpec(
        "synthetic", columns=DEMO_SYNTHETIC_COLUMNS, epsilon="3"),
                                               seed=seed)
    run_now(synthetic.job)

"""Tasks for the tests of crossroads.jobs (importable by path, as django-tasks requires)."""

import time

from django.db import transaction
from django_tasks import task

from crossroads.access.models import Jurisdiction
from crossroads.jobs import services as jobs

RAN: list[int] = []   # job ids, in the order this process ran them


@task()
@jobs.tracked
def count_to(job, steps: int, log: str = "", pause: float = 0.0) -> str:
    for step in range(1, steps + 1):
        time.sleep(pause)
        jobs.progress(job.pk, step, steps)
    RAN.append(job.pk)
    if log:  # one line per run, appended atomically by the OS (several processes share it)
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{job.pk}\n")
    return f"counted to {steps}"


@task()
@jobs.tracked
def explode(job, name: str) -> str:
    """Writes, then fails in the same transaction: nothing it wrote stays."""
    with transaction.atomic():
        Jurisdiction.objects.create(code="ZZ", name=name)
        jobs.progress(job.pk, 1, 2)
        raise RuntimeError(f"the {name} job broke")



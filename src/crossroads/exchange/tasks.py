"""The hub's watch for silent nodes: the worker (`crossroads tasks work` on the hub) asks
`witness_silence_due` on every round; it queues a check when some active node's last audit
head is older than CROSSROADS_WITNESS_SILENCE and no silent alert named it within that period
(`crossroads exchange witness-alerts --check-silence` checks at once)."""

from django_tasks import task

from crossroads.jobs import services as jobs
from crossroads.jobs.kinds import periodic

from . import hub, hub_witness


@task()
@jobs.tracked
def witness_silence(job) -> str:
    raised = hub_witness.check_silence()
    jobs.progress(job.pk, 1, 1)
    return f"{len(raised)} silent node(s) alerted"


@periodic
def witness_silence_due() -> int:
    if not hub.is_hub() or jobs.active_job("witness_silence") is not None:
        return 0
    if not hub_witness.silent_nodes():
        return 0
    jobs.enqueue("witness_silence", witness_silence)
    return 1

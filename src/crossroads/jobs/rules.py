"""Access rule of background jobs: the person who asked for a job sees it, and so do the
holders of its kind's capability in the job's jurisdiction (`jobs.kinds`: e.g. coordinators
and investigators see the deduplication runs of their jurisdiction, coordinators its
releases). Node-wide jobs without a requester (cron, the operator) are seen by nobody on the
pages; `crossroads tasks work` prints them."""

from django.db.models import Q

from crossroads.access.actions import NOTHING, VIEW, either
from crossroads.access.rulebook import capability_roles, rule

from .kinds import kinds


@rule("jobs.job", view="who asked for the job; the holders of its kind's capability "
                       "(jobs.kinds) in the job's jurisdiction")
def job_rule(user, action):
    if action != VIEW:
        return NOTHING
    watched = [k.name for k in kinds() if k.watchers and user.role in capability_roles(k.watchers)]
    mine = Q(requested_by_id=user.pk)
    if watched and user.jurisdiction_id:
        return either(mine, Q(kind__in=watched, jurisdiction_id=user.jurisdiction_id))
    return mine

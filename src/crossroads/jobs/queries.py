"""Reads of jobs for every surface, through the access policy (rule `jobs.job`)."""

from crossroads.access.policy import get_visible_or_404

from .models import Job


def visible_job(user, job_id: int) -> Job:
    """The job if the user may watch it (its requester, or the kind's watchers); 404 otherwise."""
    return get_visible_or_404(Job.objects.all(), user, pk=job_id)

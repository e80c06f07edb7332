"""One job's progress bar, polled by htmx while the job is queued or running."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .queries import visible_job


@login_required
def job_progress(request, job_id):
    """The fragment `jobs/progress.html`; 404 to whoever may not see the job (jobs.rules).
    Polled by htmx, a job that has just ended makes the page reload, so that the page shows
    what the job produced (pairs found, a prepared release)."""
    job = visible_job(request.user, job_id)
    response = render(request, "jobs/progress.html", {"job": job})
    if request.headers.get("HX-Request") and not job.active:
        response["HX-Refresh"] = "true"
    return response

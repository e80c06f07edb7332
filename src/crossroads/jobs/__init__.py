"""Background jobs: one status/progress model (`Job`) over django-tasks.

A domain app declares its tasks in its own `tasks.py` (`@task()` over `@tracked`), queues them
with `services.enqueue`, reports progress with `services.progress`, and shows a job with the
`jobs/progress.html` include; `crossroads tasks work` runs them. This app imports Django,
django-tasks and `crossroads.access` only, never a domain app.
"""

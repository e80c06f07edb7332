"""Background jobs of networks: `ftm_import` loads a queued FtM file (`services.queue_ftm_import`)
as its requester, so the policy is asked again when it runs; a file with problems writes
nothing and keeps them (by line) for its requester."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django_tasks import task

from crossroads.jobs import services as jobs

from .models import FtmImport
from .services.imports import import_ftm


@task()
@jobs.tracked
def ftm_import(job, import_id: int) -> str:
    queued = FtmImport.objects.select_related("case", "requested_by").get(pk=import_id)
    with Path(queued.path).open(encoding="utf-8") as lines:
        try:
            done = import_ftm(queued.requested_by, queued.case, lines, source=queued.source)
        except ValidationError as error:
            queued.problems_json = json.dumps(error.message_dict)
            queued.save(update_fields=["problems_json"])
            return f"{len(error.message_dict)} problem(s); nothing was imported"
    queued.entities, queued.links = done.entities, done.links
    queued.save(update_fields=["entities", "links"])
    return f"{done.entities} entities and {done.links} links imported"

"""Background jobs of networks: `ftm_import` loads a queued FtM file (`services.queue_ftm_import`)
as its requester, so the policy is asked again when it runs; a file with problems writes
nothing and keeps them (by line) for its requester."""

import json
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from crossroads.jobs import services as jobs

from .models import FtmImport
from .services.imports import import_ftm


@contextmanager
def _lines(queued: FtmImport):
    """The file's lines: a sealed upload decrypted as it is read (never a plain copy on disk)."""
    if not queued.sealed:
        with Path(queued.path).open(encoding="utf-8") as lines:
            yield lines
        return
    from crossroads.keys import archive

    with Path(queued.path).open("rb") as source:
        _header, chunks = archive.open_chunks(source)
        yield _split(chunks)


def _split(chunks):
    rest = b""
    for chunk in chunks:
        *whole, rest = (rest + chunk).split(b"\n")
        for line in whole:
            yield _text(line)
    if rest:
        yield _text(rest)


def _text(line: bytes) -> str:
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The file is not UTF-8 text.")}) from None


@task()
@jobs.tracked
def ftm_import(job, import_id: int) -> str:
    queued = FtmImport.objects.select_related("case", "requested_by").get(pk=import_id)
    try:
        with _lines(queued) as lines:
            done = import_ftm(queued.requested_by, queued.case, lines, source=queued.source)
    except ValidationError as error:
        queued.problems_json = json.dumps(error.message_dict)
        queued.save(update_fields=["problems_json"])
        return f"{len(error.message_dict)} problem(s); nothing was imported"
    finally:
        if queued.sealed:
            Path(queued.path).unlink(missing_ok=True)
    queued.entities, queued.links = done.entities, done.links
    queued.save(update_fields=["entities", "links"])
    return f"{done.entities} entities and {done.links} links imported"

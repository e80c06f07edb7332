"""FollowTheMoney JSON lines into a case's network (Aleph, OpenSanctions tooling): every line
is checked first and every problem reported at once by line; only a clean file is written, in
one transaction, its ids kept."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.jobs import services as jobs
from crossroads.registry.models import Case

from .. import proxies
from ..choices import LINK_ENDS
from ..models import Entity, FtmImport, Link, Selector
from ..signals import announce_selectors
from . import uploads
from .entities import clean_source, entity_row, field_errors, link_row, selector_rows, writable_case

BATCH = 2000


@dataclass
class Imported:
    entities: int
    links: int


def _parse(lines: Iterable[str], region: str, errors: dict):
    nodes, links = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"lines.{number}"
        try:
            data = json.loads(line)
        except ValueError:
            errors[where] = [_("Not a JSON object.")]
            continue
        if not isinstance(data, dict) or not data.get("id"):
            errors[f"{where}.id"] = [_("Every entity needs its id.")]
            continue
        try:
            if data.get("schema") in LINK_ENDS:
                links.append((number, *proxies.check_link(data, region)))
            else:
                nodes.append((number, proxies.check_node(data, region)))
        except proxies.InvalidEntity as error:
            errors.update(field_errors(error, f"{where}."))
    return nodes, links


def _check_ids(case, nodes, links, errors):
    seen: dict[str, int] = {}
    for number, checked, *_ends in nodes + links:
        if checked.proxy.id in seen:
            errors[f"lines.{number}.id"] = [_("The id of line %(line)d again.") % {
                "line": seen[checked.proxy.id]}]
        seen.setdefault(checked.proxy.id, number)
    taken = set(Entity.objects.filter(case=case, ftm_id__in=list(seen)).values_list(
        "ftm_id", flat=True)) | set(Link.objects.filter(case=case, ftm_id__in=list(seen))
                                    .values_list("ftm_id", flat=True))
    for ftm_id in sorted(taken):
        errors[f"lines.{seen[ftm_id]}.id"] = [_("The case holds this id already.")]
    known = {checked.proxy.id for _n, checked in nodes}
    known |= set(Entity.objects.filter(case=case).values_list("ftm_id", flat=True)) if links else set()
    for number, checked, source_id, target_id in links:
        source_prop, target_prop = LINK_ENDS[checked.proxy.schema.name]
        for prop, ftm_id in ((source_prop, source_id), (target_prop, target_id)):
            if ftm_id not in known:
                errors[f"lines.{number}.properties.{prop}"] = [
                    _("No entity of the file or the case has the id %(id)s.") % {"id": ftm_id}]


def import_ftm(actor, case: Case, lines: Iterable[str], *, source: str) -> Imported:
    """Entities of NODE_SCHEMATA and links of LINK_ENDS; ValidationError names every bad line."""
    writable_case(actor, case)
    source = clean_source(source)
    errors: dict[str, list[str]] = {}
    nodes, links = _parse(lines, case.jurisdiction_id, errors)
    _check_ids(case, nodes, links, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = _store_nodes(actor, case, source, [checked for _n, checked in nodes])
        missing = {end for _n, _c, *ends in links for end in ends} - set(stored)
        stored.update((row.ftm_id, row) for row in Entity.objects.filter(
            case=case, ftm_id__in=list(missing)))
        rows = [link_row(actor, case, checked, source, (stored[s], stored[t]))
                for _n, checked, s, t in links]
        Link.objects.bulk_create(rows, batch_size=BATCH)
        record(actor, Action.CREATE, case, object_type="networks.import", details={
            "case": case.pk, "source": source, "entities": len(nodes), "links": len(rows),
            "schemata": sorted({c.proxy.schema.name for _n, c, *_e in nodes + links})})
    return Imported(len(nodes), len(rows))


def _store_nodes(actor, case, source, checked_nodes) -> dict[str, Entity]:
    stored: dict[str, Entity] = {}
    for start in range(0, len(checked_nodes), BATCH):
        batch = checked_nodes[start:start + BATCH]
        rows = Entity.objects.bulk_create([entity_row(actor, case, c, source) for c in batch])
        Selector.objects.bulk_create([s for row, c in zip(rows, batch, strict=True)
                                      for s in selector_rows(row, c)])
        announce_selectors(row.pk for row in rows)
        stored.update((row.ftm_id, row) for row in rows)
    return stored


def queue_ftm_import(actor, case: Case, path, *, source: str) -> FtmImport:
    """The file queued for the task runner (`tasks.ftm_import`), for files too large to check
    and load within one command's patience; the policy is asked now and again at run time."""
    from ..tasks import ftm_import

    writable_case(actor, case)
    source = clean_source(source)
    with transaction.atomic():
        queued = FtmImport.objects.create(case=case, requested_by=actor, path=str(path),
                                          source=source)
        queued.job = jobs.enqueue("ftm_import", ftm_import, queued.pk, actor=actor,
                                  jurisdiction=case.jurisdiction_id)
        queued.save(update_fields=["job"])
        record(actor, Action.CREATE, queued, details={"case": case.pk, "source": source})
    return queued


# A page's upload up to this size is checked and written while the investigator waits; a
# larger one is sealed and queued for the task runner.
INLINE_BYTES = 512 * 1024
UPLOAD_MAX_BYTES = 20 * 1024 * 1024


def queue_ftm_upload(actor, case: Case, upload: BinaryIO, *, source: str) -> FtmImport:
    """An uploaded FtM file too large to load within a request: sealed with the node's keyring
    as it arrives (suspects' phones and accounts never lie on disk in clear), then queued like
    `queue_ftm_import`; the task removes the sealed copy when it has read it."""
    from ..tasks import ftm_import

    writable_case(actor, case)
    source = clean_source(source)
    _token, path = uploads.seal(upload, "network import")
    with transaction.atomic():
        queued = FtmImport.objects.create(case=case, requested_by=actor, path=str(path),
                                          source=source, sealed=True)
        queued.job = jobs.enqueue("ftm_import", ftm_import, queued.pk, actor=actor,
                                  jurisdiction=case.jurisdiction_id)
        queued.save(update_fields=["job"])
        record(actor, Action.CREATE, queued, details={"case": case.pk, "source": source,
                                                      "via": "page upload"})
    return queued


def read_lines(upload: BinaryIO):
    """An uploaded FtM file as lines of text (ValidationError on a file that is not UTF-8)."""
    content = upload.read(UPLOAD_MAX_BYTES + 1)
    if len(content) > UPLOAD_MAX_BYTES:
        raise ValidationError({"file": _("At most %(n)d MB per file.") % {
            "n": UPLOAD_MAX_BYTES // (1024 * 1024)}})
    try:
        return content.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The file is not UTF-8 text.")}) from None

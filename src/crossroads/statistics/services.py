"""The database side of CTDC import and export (the formats live in `ctdc`); an import is
queued here and run by the task runner (`tasks.ctdc_import`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.policy import VIEW, require_capability, restrict
from crossroads.assistance.services.consent import persons_with_consent
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.jobs import services as jobs
from crossroads.registry.rules import unrestricted_records

from . import ctdc
from .models import CtdcImport
from .tasks import ctdc_import


def _months(start, end) -> int | None:
    if not start or not end or end < start:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def export_records(actor, jurisdiction: str | None = None):
    """The exploitation records `actor` may see under the policy (`restrict`, VIEW), outside
    restricted (H3) cases and only of victims who consented to research, as
    `ctdc.ExportRecord`. Only coordinators export (they release the jurisdiction's data)."""
    require_capability(actor, "prepare_release")
    if jurisdiction and jurisdiction != actor.jurisdiction_id:
        raise ValidationError({"jurisdiction": _(
            "A coordinator exports only the records of their own jurisdiction (%(code)s).")
            % {"code": actor.jurisdiction_id}})
    records = (restrict(unrestricted_records(), actor, VIEW).select_related("person")
               .order_by("id"))
    records = records.filter(person__in=persons_with_consent("research"))  # record level: consent
    return (ctdc.ExportRecord(
            year=r.year_of_registration, sex=r.person.sex, age_band=r.age_band,
            is_minor=r.is_minor, citizenship=r.citizenship,
            country_of_exploitation=r.country_of_exploitation, forms=r.forms,
            labour_sectors=list(r.labour_sectors), sexual_types=list(r.sexual_types),
            means_of_control=list(r.means_of_control), recruiter_relation=r.recruiter_relation,
            is_abduction=r.is_abduction, months=_months(r.period_start, r.period_end))
        for r in records.iterator(chunk_size=2000))


def export_file(actor, path: Path, layout: str, jurisdiction: str | None = None) -> ctdc.ExportResult:
    """Write the export and its notes (`<file>.notes.txt`) as `actor`, and audit it."""
    path = Path(path)
    records = export_records(actor, jurisdiction)
    with path.open("w", newline="", encoding="utf-8") as out:
        result = ctdc.write_export(records, out, layout)
    notes_path = path.with_name(path.name + ".notes.txt")
    notes_path.write_text("\n".join(result.notes) + "\n", encoding="utf-8")
    record(actor, Action.EXPORT, object_type="registry.exploitationrecord",
           purpose="CTDC export", jurisdiction=actor.jurisdiction_id or "",
           details={"layout": layout, "rows": result.rows, "file": path.name,
                    "kosovo_as_serbia": result.kosovo, "scope": actor.jurisdiction_id})
    return result


def _checked_digest(path: Path) -> tuple[str, str, int]:
    """(layout, SHA-256, size) of a CTDC file, in one streaming pass that also refuses a
    line that is not UTF-8 or holds a NUL byte (ValueError naming the line) before any row is
    stored: a file fixed afterwards would have another digest, and so other source ids."""
    digest, size = hashlib.sha256(), 0

    def hashed(binary):
        nonlocal size
        for raw in binary:
            digest.update(raw)
            size += len(raw)
            yield raw

    with path.open("rb") as binary:
        lines = ctdc.decoded_lines(hashed(binary), str(path))
        try:
            layout = ctdc.detect_layout(next(lines, ""))
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from None
        for _line in lines:
            pass
    return layout, digest.hexdigest(), size


def queue_ctdc_import(actor, path: Path) -> CtdcImport:
    """Queue the import of a CTDC file as `actor` (coordinators) for the task runner; the
    layout and the encoding are checked at once (ValueError), the rows by the job
    (`tasks.ctdc_import`)."""
    require_capability(actor, "prepare_release")
    path = Path(path).resolve()
    layout, digest, size = _checked_digest(path)
    with transaction.atomic():
        queued = CtdcImport.objects.create(jurisdiction_id=actor.jurisdiction_id,
                                           requested_by=actor, path=str(path), digest=digest,
                                           size=size, layout=layout)
        queued.job = jobs.enqueue("ctdc_import", ctdc_import, queued.pk, actor=actor,
                                  jurisdiction=actor.jurisdiction_id)
        queued.save(update_fields=["job"])
        record(actor, Action.CREATE, queued, purpose="CTDC import",
               details={"file": path.name, "layout": layout, "sha256": digest, "bytes": size})
    return queued

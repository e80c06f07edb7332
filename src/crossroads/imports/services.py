"""Imports of an existing register: prepare (file sealed, mapping checked), preview, start,
and the run itself (`run_import`, called by the job in `tasks.py`).

The run reads the file twice, streaming it (bounded memory):

1. **check** — every row mapped and validated by the registry (`rows.check`, no write) and
   compared with what earlier imports brought in under the same source ids. A dry run ends
   here; so does an import under `reject` with a bad row: nothing is written.
2. **write** — the new rows, in batches of `BATCH` rows, each batch one short transaction
   (the node keeps answering), each row through `registry.register_victim` (policy,
   validation, encryption, duplicate detection, audit) and the case's status moved along
   its transitions with `registry.change_status`. A row already imported is never written
   again: unchanged, it is counted; changed in the source, it is reported with the fields
   that differ and left as the register holds it (the register, not the old spreadsheet, is
   now the record: edits made since are never overwritten).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.actions import active
from crossroads.access.models import Agency, User
from crossroads.access.policy import VIEW, may, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import deferred as audit_deferred
from crossroads.audit.services import record
from crossroads.jobs import services as jobs
from crossroads.registry import services as registry
from crossroads.registry.rules import CASE_EDITORS
from crossroads.validation import collect

from . import mapping as mappings
from . import rows, sealed
from .choices import ImportStatus, OnBadRow
from .models import CaseImport, SourceRecord
from .rules import IMPORT_CASES, IMPORT_FOR_AGENCY

BATCH = 1000


@dataclass
class ImportInput:
    file: BinaryIO
    file_name: str
    mapping: str                  # the mapping's YAML
    on_bad_row: str = OnBadRow.SKIP
    dry_run: bool = False
    # A coordinator's import for another agency of the jurisdiction: that agency, and the user
    # name of its account who leads the cases (the rows are registered as that account).
    agency_id: int | None = None
    lead: str = ""


def _checked_mapping(text: str) -> mappings.Mapping:
    """The mapping, or one ValidationError on `mapping` listing every mistake by its place."""
    try:
        return mappings.parse(text)
    except ValidationError as error:
        raise ValidationError({"mapping": [
            f"{place}: {message}" if place != "mapping" else message
            for place, messages in error.message_dict.items() for message in messages]}) from None


def _check_header(path: str, mapping: mappings.Mapping) -> None:
    with sealed.rows(path, mapping.delimiter) as found:
        missing = mapping.missing_columns(found.header)
    if missing:
        raise ValidationError({"file": _("The file has no column %(columns)s (the mapping names "
                                         "them; the file's columns: %(header)s).")
                               % {"columns": ", ".join(missing),
                                  "header": ", ".join(found.header)}})


def may_import(actor) -> bool:
    """Whoever imports a register: for their own agency, or (coordinators) for another's."""
    return may(actor, IMPORT_CASES) or may(actor, IMPORT_FOR_AGENCY)


def _target(actor, data: ImportInput):
    """The agency the cases will belong to and the account they are registered as: the
    importer's own, or for a coordinator the agency and lead named (errors at their fields)."""
    if may(actor, IMPORT_CASES):
        if data.agency_id not in (None, actor.agency_id) or data.lead.strip():
            raise ValidationError({"agency_id": _(
                "Only a national coordinator imports for another agency; yours owns the cases.")})
        return actor.agency_id, None
    require_capability(actor, IMPORT_FOR_AGENCY)
    problems = {}
    agency = Agency.objects.filter(pk=data.agency_id, jurisdiction_id=actor.jurisdiction_id,
                                   active=True).first() if data.agency_id else None
    if agency is None:
        problems["agency_id"] = _("Choose an active agency of your jurisdiction.")
    lead = (User.objects.filter(username=data.lead.strip(), agency=agency,
                                role__in=CASE_EDITORS).first()
            if agency is not None and data.lead.strip() else None)
    if lead is None or not active(lead):
        problems["lead"] = _("Name an active case worker, investigator or prosecutor of that "
                             "agency: the cases are registered as their account, and they "
                             "lead them.")
    if problems:
        raise ValidationError(problems)
    return agency.pk, lead


def targets(actor):
    """The agencies a coordinator may import for: the active ones of their jurisdiction."""
    require_capability(actor, IMPORT_FOR_AGENCY)
    return Agency.objects.filter(jurisdiction_id=actor.jurisdiction_id,
                                 active=True).order_by("name")


def prepare_import(actor, data: ImportInput, *, own_agency: bool = False) -> CaseImport:
    """Seal the file and check it against the mapping (every error at once); the import waits
    for `start_import` (the page shows its preview first). `own_agency` (the command line):
    only an import into the actor's own agency, by a role that registers victims."""
    if own_agency or not may_import(actor):
        require_capability(actor, IMPORT_CASES)  # refused, audited
    with collect() as errors:
        target = errors.check(_target, actor, data)
        mapping = errors.check(_checked_mapping, data.mapping)
        if data.on_bad_row not in OnBadRow.values:
            errors.add({"on_bad_row": _("Use skip or reject.")})
        if not data.file_name.strip():
            errors.add({"file": _("Choose a CSV file.")})
    stored = sealed.seal(data.file)
    try:
        _check_header(str(stored.path), mapping)
    except ValidationError:
        sealed.remove(str(stored.path))
        raise
    agency_id, lead = target
    with transaction.atomic():
        prepared = CaseImport.objects.create(
            jurisdiction_id=actor.jurisdiction_id, agency_id=agency_id, lead=lead,
            requested_by=actor,
            file_name=data.file_name.strip()[:255], path=str(stored.path), digest=stored.digest,
            size=stored.size, mapping=mapping.as_json(), on_bad_row=data.on_bad_row,
            dry_run=data.dry_run, status=ImportStatus.READY)
        record(actor, Action.CREATE, prepared, purpose="case import",
               details={"file": prepared.file_name, "sha256": stored.digest,
                        "bytes": stored.size, "system": mapping.system,
                        "on_bad_row": data.on_bad_row, "dry_run": data.dry_run,
                        "agency": agency_id, "lead": lead.get_username() if lead else None})
    return prepared


def acting_active(prepared: CaseImport) -> bool:
    """Whether the account the rows are registered as may still register them."""
    return active(prepared.acting)


def start_import(actor, prepared: CaseImport) -> CaseImport:
    """Queue the import's job. Only once: a start sent again (a replayed form) is refused."""
    require(actor, VIEW, prepared)
    if not may_import(actor):
        require_capability(actor, IMPORT_CASES)
    if prepared.lead_id and not acting_active(prepared):
        raise ValidationError({"import": _("The account named to lead the cases is no longer "
                                           "active: prepare the import again.")})
    with transaction.atomic():
        started = CaseImport.objects.filter(pk=prepared.pk, status=ImportStatus.READY).update(
            status=ImportStatus.QUEUED)
        if not started:
            raise ValidationError({"import": _("This import has already been started.")})
        from .tasks import case_import

        prepared.status = ImportStatus.QUEUED
        prepared.job = jobs.enqueue("case_import", case_import, prepared.pk, actor=actor,
                                    jurisdiction=prepared.jurisdiction_id)
        prepared.save(update_fields=["job"])
        record(actor, Action.UPDATE, prepared, purpose="case import",
               details={"status": ImportStatus.QUEUED})
    return prepared


def _held(prepared: CaseImport, mapping: mappings.Mapping, ids: list[str]) -> dict[str, dict]:
    """The field digests stored for these source ids. Whatever the importer may see: a row is
    never imported twice, even into a case now restricted to a team."""
    return dict(SourceRecord.objects.filter(
        jurisdiction_id=prepared.jurisdiction_id, system=mapping.system, source_id__in=ids)
        .values_list("source_id", "field_digests"))


def compare(prepared: CaseImport, mapping: mappings.Mapping, batch: list[rows.Checked]) -> None:
    held = _held(prepared, mapping, [c.source_id for c in batch if c.outcome == rows.NEW])
    for checked in batch:
        if checked.outcome == rows.NEW:
            rows.compare(checked, held.get(checked.source_id), mapping)


class _Pass:
    """One reading of the file in batches, with the job's progress: the check pass fills the
    first half of the bar, the write pass the second."""

    def __init__(self, prepared: CaseImport, job_id: int | None, half: int):
        self.prepared, self.job_id, self.half = prepared, job_id, half
        self.mapping = mappings.from_json(prepared.mapping)

    def batches(self):
        with sealed.rows(self.prepared.path, self.mapping.delimiter) as source:
            batch = []
            for line, row in source.items:
                batch.append((line, row))
                if len(batch) == BATCH:
                    yield batch
                    self._progress(source.plain.position)
                    batch = []
            if batch:
                yield batch
            self._progress(source.plain.position)

    def _progress(self, position: int) -> None:
        if self.job_id is not None:
            jobs.progress(self.job_id, self.half * self.prepared.size + position,
                          2 * max(self.prepared.size, 1))


def _note(found: list[dict], problems: list[dict], outcome: str) -> None:
    room = CaseImport.MAX_PROBLEMS - len(found)
    found += [{**p, "outcome": outcome} for p in problems[:max(room, 0)]]


def _save(prepared: CaseImport, problems: list[dict] | None = None) -> None:
    if problems is not None:
        prepared.problems = json.dumps(problems)
    prepared.save(update_fields=["status", "rows", "created", "unchanged", "changed",
                                 "rejected", "problems"])


def _check_pass(prepared: CaseImport, job_id: int | None) -> None:
    """Count what the import would do, and report every bad and changed row."""
    actor, seen, found = prepared.acting, {}, []
    reading = _Pass(prepared, job_id, 0)
    for batch in reading.batches():
        checked = [rows.check(actor, reading.mapping, line, row) for line, row in batch]
        for item in checked:
            first = seen.setdefault(item.source_id, item.line) if item.source_id else item.line
            if first != item.line and item.outcome != rows.REJECTED:
                item.outcome, item.problems = rows.REJECTED, [{
                    "line": item.line, "column": reading.mapping.id_column, "field": "source_id",
                    "message": _("The source id %(id)s is already on line %(line)s.")
                    % {"id": item.source_id, "line": first}}]
        compare(prepared, reading.mapping, checked)
        if prepared.for_another_agency:  # the coordinator's report names line and field only
            for item, (_line, row) in zip(checked, batch, strict=True):
                rows.without_values(item, reading.mapping, row)
        for item in checked:
            prepared.rows += 1
            if item.outcome == rows.REJECTED:
                prepared.rejected += 1
                _note(found, item.problems, rows.REJECTED)
            elif item.outcome == rows.CHANGED:
                prepared.changed += 1
                _note(found, item.problems, rows.CHANGED)
            elif item.outcome == rows.UNCHANGED:
                prepared.unchanged += 1
            else:
                prepared.created += 1
        _save(prepared, found)


def _write_row(actor, mapping: mappings.Mapping, prepared: CaseImport,
               checked: rows.Checked) -> None:
    inputs = checked.inputs
    person, case, _exploitation = registry.register_victim(
        actor, inputs.person, inputs.case, inputs.exploitation, inputs.role)
    for step in rows.status_path(inputs.status) if inputs.status else []:
        registry.change_status(actor, case, step,
                               reason=_("Imported from %(system)s") % {"system": mapping.system})
    source = SourceRecord.objects.create(
        jurisdiction_id=prepared.jurisdiction_id, system=mapping.system,
        source_id=checked.source_id, case=case, person=person, imported_by=prepared,
        field_digests=checked.digests)
    record(actor, Action.CREATE, source, details={"case": case.pk, "import": prepared.pk})


def _write_pass(prepared: CaseImport, job_id: int | None) -> int:
    """Write the new rows (the check pass has reported the others); how many were written."""
    actor, written = prepared.acting, 0
    reading = _Pass(prepared, job_id, 1)
    for batch in reading.batches():
        checked = [rows.check(actor, reading.mapping, line, row) for line, row in batch]
        compare(prepared, reading.mapping, checked)
        new, ids = [], set()
        for item in checked:  # a source id twice in the file: its first row only
            if item.outcome == rows.NEW and item.source_id not in ids:
                new.append(item)
                ids.add(item.source_id)
        with transaction.atomic(), audit_deferred():
            for item in new:
                _write_row(actor, reading.mapping, prepared, item)
        written += len(new)
        CaseImport.objects.filter(pk=prepared.pk).update(created=written)  # the page's count
    return written


def run_import(prepared: CaseImport, job_id: int | None = None) -> CaseImport:
    """The import's two passes (see the module's note); audited at the end with the counts.
    The sealed file is removed once the import has ended, whatever the outcome."""
    prepared.rows = prepared.created = prepared.unchanged = prepared.changed = 0
    prepared.rejected = 0
    try:
        prepared.status = ImportStatus.CHECKING
        _save(prepared, [])
        _check_pass(prepared, job_id)
        if prepared.dry_run:
            _set_status(prepared, ImportStatus.CHECKED)
        elif prepared.rejected and prepared.on_bad_row == OnBadRow.REJECT:
            _set_status(prepared, ImportStatus.REJECTED)
        else:
            _set_status(prepared, ImportStatus.WRITING)
            prepared.created = _write_pass(prepared, job_id)
            _set_status(prepared, ImportStatus.DONE)
    except Exception:
        _set_status(prepared, ImportStatus.FAILED)
        raise
    finally:
        sealed.remove(prepared.path)
        CaseImport.objects.filter(pk=prepared.pk).update(path="")
        record(prepared.requested_by, Action.UPDATE, prepared, purpose="case import",
               details={"status": prepared.status, "rows": prepared.rows,
                        "created": prepared.created, "unchanged": prepared.unchanged,
                        "changed": prepared.changed, "rejected": prepared.rejected})
    return prepared


def _set_status(prepared: CaseImport, status: str) -> None:
    prepared.status = status
    _save(prepared)


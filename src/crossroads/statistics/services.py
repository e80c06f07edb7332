"""The database side of CTDC import and export (the formats live in `ctdc`)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from crossroads.assistance.consent import persons_with_consent
from crossroads.audit.models import Action
from crossroads.audit.services import record
from crossroads.registry.rules import unrestricted_records

from . import ctdc
from .models import CtdcRecord


def _months(start, end) -> int | None:
    if not start or not end or end < start:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def export_records(jurisdiction: str | None = None):
    """Every exploitation record of the node (or of one jurisdiction) outside restricted (H3)
    cases, as `ctdc.ExportRecord`. Acts for no user: only the operator's CLI calls it, and every
    call is audited (`export`)."""
    records = unrestricted_records().select_related("person").order_by("id")
    records = records.filter(person__in=persons_with_consent("research"))  # record level: consent
    if jurisdiction:
        records = records.filter(case__jurisdiction_id=jurisdiction)
    for r in records.iterator(chunk_size=2000):
        yield ctdc.ExportRecord(
            year=r.year_of_registration, sex=r.person.sex, age_band=r.age_band,
            is_minor=r.is_minor, citizenship=r.citizenship,
            country_of_exploitation=r.country_of_exploitation, forms=r.forms,
            labour_sectors=list(r.labour_sectors), sexual_types=list(r.sexual_types),
            means_of_control=list(r.means_of_control), recruiter_relation=r.recruiter_relation,
            is_abduction=r.is_abduction, months=_months(r.period_start, r.period_end),
        )


def export_file(path: Path, layout: str, jurisdiction: str | None = None) -> ctdc.ExportResult:
    """Write the export and its notes (`<file>.notes.txt`), and audit it."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as out:
        result = ctdc.write_export(export_records(jurisdiction), out, layout)
    notes_path = path.with_name(path.name + ".notes.txt")
    notes_path.write_text("\n".join(result.notes) + "\n", encoding="utf-8")
    record(None, Action.EXPORT, object_type="registry.exploitationrecord",
           purpose="CTDC export (operator CLI)", jurisdiction=jurisdiction or "",
           details={"layout": layout, "rows": result.rows, "file": path.name,
                    "kosovo_as_serbia": result.kosovo, "scope": jurisdiction or "node"})
    return result


def import_file(path: Path, batch_size: int = 2000) -> ctdc.Parsed:
    """Load a CTDC file into `CtdcRecord`; rows that do not fit are returned as problems."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as stream:
        parsed = ctdc.parse(stream)
    objects = [CtdcRecord(layout=parsed.layout, source_file=path.name[:255], line=row.line,
                          year=row.year, years=row.years, gender=row.gender,
                          age_band=row.age_band, majority=row.majority,
                          citizenship=row.citizenship,
                          country_of_exploitation=row.country_of_exploitation, forms=row.forms,
                          labour_sectors=row.labour_sectors, sexual_types=row.sexual_types,
                          means_of_control=row.means_of_control,
                          recruiter_relation=row.recruiter_relation, raw=row.raw)
               for row in parsed.rows]
    with transaction.atomic():
        CtdcRecord.objects.bulk_create(objects, batch_size=batch_size)
        record(None, Action.CREATE, object_type="statistics.ctdcrecord",
               purpose="CTDC import (operator CLI)",
               details={"layout": parsed.layout, "file": path.name, "rows": len(parsed.rows),
                        "rejected": len(parsed.problems)})
    return parsed

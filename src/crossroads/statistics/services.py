"""The database side of CTDC import and export (the formats live in `ctdc`)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.policy import VIEW, require_capability, restrict
from crossroads.assistance.services.consent import persons_with_consent
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.rules import unrestricted_records

from . import ctdc
from .models import CtdcRecord


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


def import_file(actor, path: Path, batch_size: int = 2000) -> ctdc.Parsed:
    """Load a CTDC file into `CtdcRecord` as `actor` (coordinators); rows that do not fit are
    returned as problems."""
    require_capability(actor, "prepare_release")
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
        record(actor, Action.CREATE, object_type="statistics.ctdcrecord",
               purpose="CTDC import",
               details={"layout": parsed.layout, "file": path.name, "rows": len(parsed.rows),
                        "rejected": len(parsed.problems)})
    return parsed

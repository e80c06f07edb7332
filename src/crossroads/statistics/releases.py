"""Releases: versioned files that leave the node only through disclosure control.

A release is a folder `<kind>-<UTC time>/` holding the released CSV files and a
`manifest.json` (what was asked, the parameters, k or the suppression threshold, what was
suppressed, who approved, when, and the SHA-256 of every file). Tables pass small-cell and
secondary suppression; microdata are k-anonymous over every combination of the released
columns. Every release is written to the audit chain as an export.
"""

import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from crossroads.assistance.consent import persons_with_consent
from crossroads.audit.models import Action
from crossroads.audit.services import record
from crossroads.registry.models import ExploitationRecord

from .disclosure import is_k_anonymous, k_anonymise, suppress_table

MICRODATA_COLUMNS = ["year", "sex", "age_band", "citizenship", "country_of_exploitation", "form"]
TABLES = {
    # name: (row variable, column variable)
    "victims_by_year_and_form": ("year", "form"),
    "victims_by_year_and_sex": ("year", "sex"),
    "victims_by_age_band_and_form": ("age_band", "form"),
    "victims_by_citizenship_and_year": ("citizenship", "year"),
}


@dataclass
class Release:
    folder: Path
    manifest: dict


def victim_rows(jurisdiction: str | None = None) -> list[dict]:
    """One row per exploitation record, with the variables releases draw on (no identities)."""
    records = ExploitationRecord.objects.select_related("person", "case")
    records = records.filter(person__in=persons_with_consent("research"))  # record level: consent
    if jurisdiction:
        records = records.filter(case__jurisdiction_id=jurisdiction)
    return [{"year": str(r.year_of_registration), "sex": r.person.sex,
             "age_band": r.age_band or "Unknown", "citizenship": r.citizenship or "Unknown",
             "country_of_exploitation": r.country_of_exploitation or "Unknown",
             "form": (r.forms or ["other"])[0]} for r in records.iterator()]


def _folder(out: Path, kind: str) -> Path:
    folder = Path(out) / f"{kind}-{timezone.now():%Y%m%dT%H%M%S%fZ}"
    folder.mkdir(parents=True)
    return folder


def _finish(folder: Path, kind: str, manifest: dict, approved_by: str, actor) -> Release:
    manifest = {"kind": kind, "made_at": timezone.now().isoformat(), "approved_by": approved_by,
                **manifest,
                "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                          for p in sorted(folder.glob("*.csv"))}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    record(actor, Action.EXPORT, object_type="statistics.release", object_id=folder.name,
           details={k: v for k, v in manifest.items() if k != "files"})
    return Release(folder, manifest)


def release_tables(out: Path, *, threshold: int, approved_by: str, jurisdiction=None,
                   actor=None) -> Release:
    rows = victim_rows(jurisdiction)
    folder = _folder(out, "tables")
    summary = {}
    for name, (row_var, col_var) in TABLES.items():
        counts = Counter((r[row_var], r[col_var]) for r in rows)
        row_values = sorted({k[0] for k in counts})
        col_values = sorted({k[1] for k in counts})
        table = suppress_table([[counts[(a, b)] for b in col_values] for a in row_values],
                               threshold=threshold)
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([row_var, *col_values, "total"])
            for value, cells, total in zip(row_values, table.cells, table.row_totals, strict=True):
                writer.writerow([value, *("" if c is None else c for c in cells), total])
            writer.writerow(["total", *table.column_totals, table.total])
        summary[name] = {"rows": row_var, "columns": col_var, "cells": len(row_values) * len(col_values),
                         "primary_suppressed": len(table.primary),
                         "secondary_suppressed": len(table.secondary)}
    return _finish(folder, "tables", {"threshold": threshold, "jurisdiction": jurisdiction,
                                      "records": len(rows), "tables": summary},
                   approved_by, actor)


def release_microdata(out: Path, *, k: int, approved_by: str, jurisdiction=None,
                      actor=None) -> Release:
    rows = victim_rows(jurisdiction)
    result = k_anonymise(rows, MICRODATA_COLUMNS, k=k)
    if not is_k_anonymous(result.rows, MICRODATA_COLUMNS, k):
        raise RuntimeError("the anonymised rows are not k-anonymous; nothing was released")
    folder = _folder(out, "microdata")
    with open(folder / "microdata.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, MICRODATA_COLUMNS)
        writer.writeheader()
        writer.writerows(result.rows)
    return _finish(folder, "microdata", {
        "k": k, "columns": MICRODATA_COLUMNS, "jurisdiction": jurisdiction,
        "records": result.total, "released": len(result.rows), "suppressed": result.suppressed,
        "suppression_rate": round(result.suppression_rate, 4),
        "generalisation_levels": result.levels}, approved_by, actor)

"""Releases: versioned files that leave the node only through disclosure control.

A release is a folder `<kind>-<UTC time>/` holding the released CSV files and a
`manifest.json` (what was asked, the parameters, ε, k or the suppression threshold, what was
suppressed, who prepared and who approved it, when, and the SHA-256 of every file), and a
`Release` row in the node. Three kinds:

* **tables**: contingency tables with small-cell and secondary suppression; with an ε, the
  cells are first differentially private noisy counts (`dp`) over the public domains, and the
  suppression runs on the noisy counts (post-processing).
* **microdata**: one row per victim record, k-anonymous over every combination of the
  released columns (generalisation, then suppression; the suppression rate is reported).
* **synthetic**: one row per victim record sampled from differentially private marginals.

A release is made in a staging folder first; its `Release` row, its ledger entries (the ε it
spends) and its move to the final folder happen in one transaction, so a release refused for
its budget, or failing for any reason, leaves no file and records nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.assistance.services.consent import persons_with_consent
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import FORM_FIELDS
from crossroads.registry.rules import unrestricted_records
from crossroads.text import SafeCsvWriter

from . import criminal_justice, dp, fidelity, ledger
from .choices import COLUMN_LABELS, ORDERED_VALUES, in_order
from .disclosure import is_k_anonymous, k_anonymise, suppress_table
from .domains import clamp, domains
from .models import Release, ReleaseKind, ReleaseStatus

MICRODATA_COLUMNS = ["year", "sex", "age_band", "citizenship", "country_of_exploitation", "form"]
# Record-level releases keep every form of a record: "form" is released as one 0/1 column per
# form (as CTDC's isSexualExploit, isForcedLabour, ...), never as the record's first form only.
FORM_INDICATORS = list(FORM_FIELDS.values())
SYNTHETIC_CENTRE = "form"  # the root of the tree synthetic rows are sampled along
TABLES = {
    # name: (row variable, column variable)
    "victims_by_year_and_form": ("year", "form"),
    "victims_by_year_and_sex": ("year", "sex"),
    "victims_by_age_band_and_form": ("age_band", "form"),
    "victims_by_citizenship_and_year": ("citizenship", "year"),
    # criminal justice (`criminal_justice.justice_rows`): suspects per stage and per sentence
    # by the year the stage was reached, and the attrition funnel by year of registration
    "suspects_by_stage_and_year": ("stage", "justice_year"),
    "suspects_by_sentence_and_year": ("sentence", "justice_year"),
    "victims_by_justice_stage_and_year": ("justice_stage", "year"),
}
VICTIM_TABLES = list(TABLES)[:4]   # over the victim records; every hub body has them
JUSTICE_TABLES = list(TABLES)[4:]  # over the proceedings: suppression only, never noisy (ε)
MAX_EPSILON = Decimal(100)
VICTIM = "victim"  # the person a row counts for (never written): tables count persons
MANIFEST = "manifest.json"
INTERNAL = "fidelity"  # a producer's detail kept on the release's row, never in its manifest
QUERY = "victim records of exploitation (one row per exploitation record, no identities)"
JUSTICE_QUERY = ("proceedings of the cases outside H3: the suspects counted once per stage (or "
                 "sentence band) and year; the victims of the records by the stages their "
                 "case's proceedings reached (no identities)")
POST_PROCESSING = ("noisy counts below 0 are published as 0; rows and columns whose noisy "
                   "counts are all 0 are left out; margins are the sums of the noisy cells")


@dataclass
class ReleaseSpec:
    """What is asked for; `validated` checks it and fills the defaults."""

    kind: str
    columns: list[str] = field(default_factory=list)
    k: int | None = None
    threshold: int | None = None
    epsilon: Decimal | None = None
    jurisdiction: str | None = None

    def as_parameters(self) -> dict:
        values = asdict(self)
        values["epsilon"] = None if self.epsilon is None else str(self.epsilon)
        return values

    @classmethod
    def from_parameters(cls, values: dict) -> ReleaseSpec:
        epsilon = values.get("epsilon")
        return cls(**{**values, "epsilon": None if epsilon is None else Decimal(epsilon)})


def _number(errors, name, value, low, default=None):
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = _("Give a whole number.")
        return None
    if number < low or number > 1000:
        errors[name] = _("Give a number from %(low)s to 1000.") % {"low": low}
    return number


def _epsilon(errors, value):
    if value is None or value == "":
        return None
    try:
        epsilon = ledger.as_epsilon(value)
    except ArithmeticError:
        errors["epsilon"] = _("Give ε as a number, such as 0.5.")
        return None
    if not epsilon.is_finite() or epsilon <= 0 or epsilon > MAX_EPSILON:
        errors["epsilon"] = _("ε must be more than 0 and at most %(max)s.") % {"max": MAX_EPSILON}
    return epsilon


def validated(spec: ReleaseSpec) -> ReleaseSpec:
    """The spec with defaults filled in, or a ValidationError naming each wrong field."""
    errors: dict[str, str] = {}
    if spec.kind not in ReleaseKind.values:
        raise ValidationError({"kind": _("Choose tables, microdata or synthetic.")})
    allowed = list(TABLES) if spec.kind == ReleaseKind.TABLES else MICRODATA_COLUMNS
    noisy = spec.epsilon not in (None, "")
    default = VICTIM_TABLES if spec.kind == ReleaseKind.TABLES and noisy else allowed
    columns = [c for c in allowed if c in set(spec.columns)] if spec.columns else list(default)
    unknown = sorted(set(spec.columns) - set(allowed))
    if unknown:
        errors["columns"] = _("Unknown for this kind of release: %(names)s.") % {"names": ", ".join(unknown)}
    elif spec.kind == ReleaseKind.TABLES and noisy and set(columns) & set(JUSTICE_TABLES):
        errors["columns"] = _("The criminal-justice tables are released with small-cell "
                              "suppression only: leave ε empty, or leave them out.")
    elif spec.kind == ReleaseKind.SYNTHETIC and len(columns) < 2:
        errors["columns"] = _("Synthetic microdata need at least two columns.")
    k = _number(errors, "k", spec.k, 2, 11) if spec.kind == ReleaseKind.MICRODATA else None
    threshold = (_number(errors, "threshold", spec.threshold, 2, 5)
                 if spec.kind == ReleaseKind.TABLES else None)
    epsilon = _epsilon(errors, spec.epsilon)
    if spec.kind == ReleaseKind.SYNTHETIC and spec.epsilon in (None, "") and "epsilon" not in errors:
        errors["epsilon"] = _("Synthetic microdata need an ε.")
    if spec.kind == ReleaseKind.MICRODATA and epsilon is not None:
        errors["epsilon"] = _("Microdata are protected by k-anonymity, not by ε; leave ε empty.")
    if spec.kind != ReleaseKind.MICRODATA and spec.k not in (None, ""):
        errors["k"] = _("Only microdata releases take a k.")
    if errors:
        raise ValidationError(errors)
    return ReleaseSpec(kind=spec.kind, columns=columns, k=k, threshold=threshold, epsilon=epsilon,
                       jurisdiction=spec.jurisdiction or None)


def released_columns(columns: list[str]) -> list[str]:
    """The columns a record-level release writes for the columns asked (`form` expanded)."""
    return [c for column in columns for c in (FORM_INDICATORS if column == "form" else [column])]


RELEASED_FIELDS = ("year_of_registration", "age_band", "citizenship", "country_of_exploitation",
                   *FORM_FIELDS.values())


def victim_rows(jurisdiction: str | None = None, *, record_level: bool = True) -> list[dict]:
    """One row per exploitation record, with the variables releases draw on (no identities),
    every form as a 0/1 indicator (`FORM_INDICATORS`; `form` is the first, for the tables),
    the jurisdiction whose dataset it belongs to, and the victim (`VICTIM`: the person, or the
    survivor of a merge) so that suppressed tables count persons, not records. The one place
    that selects the records of a release. Records of restricted (H3) cases never leave the
    node, as in the dashboards and the policy's COUNT scope. Record-level releases (microdata,
    synthetic) keep only victims who consented to research; suppressed aggregate tables count
    every other record.
    Only the columns used are loaded (never the encrypted identity fields)."""
    records = (unrestricted_records().select_related("person", "case")
               .only(*RELEASED_FIELDS, "person__sex", "person__merged_into_id",
                     "case__jurisdiction"))
    if record_level:
        records = records.filter(person__in=persons_with_consent("research"))
    if jurisdiction:
        records = records.filter(case__jurisdiction_id=jurisdiction)
    return [{"year": str(r.year_of_registration), "sex": r.person.sex,
             "age_band": r.age_band or "Unknown", "citizenship": r.citizenship or "Unknown",
             "country_of_exploitation": r.country_of_exploitation or "Unknown",
             "form": (r.forms or ["other"])[0], "jurisdiction": r.case.jurisdiction_id,
             **{f: "1" if getattr(r, f) else "0" for f in FORM_INDICATORS},
             VICTIM: r.person.merged_into_id or r.person_id}
            for r in records.iterator(chunk_size=2000)]


def per_person(rows: list[dict]) -> tuple[list[dict], int, str]:
    """The rows a differentially private release measures: at most
    CROSSROADS_DP_ROWS_PER_PERSON of each person (the earliest by year of registration), the
    bound, and the privacy unit in words for the manifest."""
    bound = settings.CROSSROADS_DP_ROWS_PER_PERSON
    kept = dp.bounded(sorted(rows, key=lambda r: r["year"]), lambda r: r[VICTIM], bound)
    unit = (f"one person (a victim, however many records or cases they have) changed; each "
            f"person gives at most {bound} row{'s' if bound > 1 else ''} (the earliest by year "
            f"of registration); the number of rows is public")
    return kept, bound, unit


def release_dir() -> Path:
    return Path(settings.CROSSROADS_RELEASE_DIR)


# ---------------------------------------------------------------------------- the files


def _write_table(path: Path, row_var, row_values, col_values, table) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow([row_var, *col_values, "total"])
        for value, cells, total in zip(row_values, table.cells, table.row_totals, strict=True):
            writer.writerow([value, *("" if c is None else c for c in cells), total])
        writer.writerow(["total", *table.column_totals, table.total])


def _write_rows(path: Path, columns, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)


def _tables(spec: ReleaseSpec, rows, folder: Path, seed) -> dict:
    summary, result, withheld = {}, {}, {}
    justice = (criminal_justice.justice_rows(spec.jurisdiction)
               if set(spec.columns) & set(JUSTICE_TABLES) else {})
    if spec.epsilon is not None:
        domain = domains()
        measured_rows, bound, unit = per_person(rows)
        measured = dp.measure([clamp(r, domain) for r in measured_rows],
                              [TABLES[n] for n in spec.columns], domain, float(spec.epsilon),
                              rows_per_unit=bound)
        result = {"epsilon_spent": measured.epsilon, "noise": {
            "mechanism": "discrete Laplace on counts (OpenDP make_count_by_categories >> "
                         "then_laplace)", "scale": measured.scale,
            "privacy_unit": unit, "rows_per_person": bound,
            "split": f"ε / {len(spec.columns)} per table", "post_processing": POST_PROCESSING}}
    for index, name in enumerate(spec.columns):
        row_var, col_var = TABLES[name]
        if spec.epsilon is not None:
            row_values, col_values, matrix = dp.noisy_table(
                measured.counts[index], domain[row_var], domain[col_var])
        else:
            source = justice[name] if name in JUSTICE_TABLES else rows
            counts = Counter((r[row_var], r[col_var]) for r in
                             {(r[row_var], r[col_var], r[VICTIM]): r for r in source}.values())
            # the stages and bands are a fixed list (every one shown, 0 where none); other
            # variables show the values recorded
            row_values = in_order(row_var, ORDERED_VALUES.get(row_var) or {k[0] for k in counts})
            col_values = sorted({key[1] for key in counts})
            matrix = [[counts[(a, b)] for b in col_values] for a in row_values]
        table = suppress_table(matrix, threshold=spec.threshold)
        if name in JUSTICE_TABLES and _lone_suppressed(table):
            # One year (or one stage) only: a suppressed cell alone in its line would follow
            # from the published margin. The table is left out, the others are released.
            withheld[name] = ("a suppressed cell would follow from its row or column total "
                              "(a single year or stage); not released")
            continue
        _write_table(folder / f"{name}.csv", row_var, row_values, col_values, table)
        summary[name] = {"rows": row_var, "columns": col_var, "cells": len(row_values) * len(col_values),
                         "primary_suppressed": len(table.primary),
                         "secondary_suppressed": len(table.secondary)}
    if justice:
        result["justice_query"] = JUSTICE_QUERY
    if withheld:
        result["withheld"] = withheld
    return {"threshold": spec.threshold, "tables": summary, **result}


def _lone_suppressed(table) -> bool:
    """A row or column with exactly one suppressed cell (`suppress_table` leaves one only in a
    line of one cell, whose total is then the cell)."""
    rows = table.cells
    lines = [*rows, *([row[j] for row in rows] for j in range(len(rows[0]) if rows else 0))]
    return any(sum(cell is None for cell in line) == 1 for line in lines)


def _microdata(spec: ReleaseSpec, rows, folder: Path, seed) -> dict:
    columns = released_columns(spec.columns)
    result = k_anonymise(rows, columns, k=spec.k)
    if not is_k_anonymous(result.rows, columns, spec.k):
        raise RuntimeError("the anonymised rows are not k-anonymous; nothing was released")
    _write_rows(folder / "microdata.csv", columns, result.rows)
    return {"k": spec.k, "columns": columns, "released": len(result.rows),
            "suppressed": result.suppressed, "suppression_rate": round(result.suppression_rate, 4),
            "generalisation_levels": result.levels}


def _synthetic(spec: ReleaseSpec, rows, folder: Path, seed) -> dict:
    columns = released_columns(spec.columns)
    domain = {c: v for c, v in domains().items() if c in columns}
    root = released_columns([SYNTHETIC_CENTRE if SYNTHETIC_CENTRE in spec.columns
                             else spec.columns[0]])[0]
    measured_rows, bound, unit = per_person(rows)
    rows = [clamp(r, domain) for r in measured_rows]
    epsilon = float(spec.epsilon)
    tree = dp.choose_tree(rows, columns, domain, root,
                          one_way_epsilon=epsilon * dp.ONE_WAY_SHARE,
                          selection_epsilon=epsilon * dp.SELECTION_SHARE, rows_per_unit=bound)
    measured = dp.measure(rows, tree.edges, domain, epsilon - tree.epsilon, rows_per_unit=bound)
    synthetic = dp.synthesise(measured, domain, len(rows), seed=seed)
    faithful = fidelity.compare(rows, synthetic, columns)
    floor = settings.CROSSROADS_SYNTHETIC_FIDELITY_FLOOR
    if fidelity.verdict(faithful["score"], floor) == "refused":
        worst = next(c for c in faithful["columns"] if c["column"] == faithful["worst"])
        raise ValidationError({"fidelity": _(
            "The synthetic data are too far from the real records to be of use: %(column)s "
            "differs from the real distribution by %(distance)s %% (fidelity %(score)s, the "
            "floor is %(floor)s). Release fewer columns, or the same with a larger ε.") % {
            "column": COLUMN_LABELS.get(worst["column"], worst["column"]),
            "distance": round(worst["distance"] * 100), "score": faithful["score"],
            "floor": floor}})
    _write_rows(folder / "synthetic.csv", columns, synthetic)
    k = len(columns)
    return {"columns": columns, "released": len(synthetic), INTERNAL: faithful,
            "epsilon_spent": tree.epsilon + measured.epsilon,
            "noise": {"mechanism": "discrete Laplace on counts (OpenDP make_count_by_categories "
                                   ">> then_laplace); the tree chosen by OpenDP's noisy max",
                      "scale": measured.scale, "one_way_scale": tree.one_way.scale,
                      "privacy_unit": f"{unit}, one synthetic row each",
                      "rows_per_person": bound,
                      "marginals": [list(m) for m in tree.edges],
                      "split": {"one_way_marginals": tree.one_way.epsilon,
                                "choosing_the_tree": tree.selection_epsilon,
                                "tree_marginals": measured.epsilon,
                                "rule": f"ε/4 over {k} one-way marginals, ε/4 over {k - 1} "
                                        f"choices of an edge, the rest over {k - 1} two-way "
                                        "marginals"},
                      "post_processing": "negative counts as 0; counts below scale × ln(cells) "
                                         "dropped; rows sampled along the tree from its root"}}


PRODUCERS: dict[str, Callable] = {ReleaseKind.TABLES: _tables, ReleaseKind.MICRODATA: _microdata,
                                  ReleaseKind.SYNTHETIC: _synthetic}


# ---------------------------------------------------------------------------- making a release


def _sha256s(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


def write_manifest(release: Release) -> None:
    (Path(release.folder) / MANIFEST).write_text(
        json.dumps(release.manifest, indent=2, ensure_ascii=False), encoding="utf-8")


def make_release(spec: ReleaseSpec, *, out: Path, actor, release: Release,
                 seed: int | None = None,
                 progress: Callable[[int], None] | None = None) -> Release:
    """Make the files of a queued release and record it, or raise leaving nothing behind.
    The release ends prepared: it leaves the node only once a second coordinator approves it
    (`release_workflow.approve`); nothing here approves."""
    spec = validated(spec)
    progress = progress or (lambda _percent: None)
    rows = victim_rows(spec.jurisdiction, record_level=spec.kind != ReleaseKind.TABLES)
    progress(20)
    datasets = [spec.jurisdiction] if spec.jurisdiction else sorted({r["jurisdiction"] for r in rows})
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".staging-{uuid.uuid4().hex}"
    staging.mkdir()
    final = None
    try:
        details = PRODUCERS[spec.kind](spec, rows, staging, seed)
        internal = details.pop(INTERNAL, {})
        progress(90)
        epsilon = ledger.as_epsilon(details["epsilon_spent"]) if "epsilon_spent" in details else None
        now = timezone.now()
        with transaction.atomic():
            release = Release.objects.select_for_update().get(pk=release.pk)
            release.status = ReleaseStatus.PREPARED
            release.jurisdiction_id = spec.jurisdiction
            release.parameters = spec.as_parameters()
            release.epsilon, release.k, release.threshold = epsilon, spec.k, spec.threshold
            release.suppression_rate = details.get("suppression_rate")
            release.records, release.prepared_at = len(rows), now
            release.fidelity = internal
            release.save()
            if epsilon is not None:
                ledger.charge(release, datasets, epsilon, actor, actor.get_username())
            final = out / f"{spec.kind}-{now:%Y%m%dT%H%M%S%fZ}"
            staging.rename(final)
            release.folder = str(final)
            release.files = _sha256s(final)
            release.manifest = {
                "release": release.pk, "kind": spec.kind, "query": QUERY,
                "parameters": spec.as_parameters(), "jurisdiction": spec.jurisdiction,
                "datasets": datasets, "records": len(rows),
                "epsilon": None if epsilon is None else str(epsilon),
                "k": spec.k, "made_at": now.isoformat(),
                "prepared_by": actor.get_username(), "approved_by": None, "approved_at": None,
                **details, "files": release.files}
            release.save(update_fields=["folder", "files", "manifest"])
            write_manifest(release)
            record(actor, Action.CREATE, object_type="statistics.release", object_id=release.pk,
                   jurisdiction=spec.jurisdiction or "",
                   details={k: v for k, v in release.manifest.items() if k != "files"}
                   | {"folder": final.name})
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if final is not None:
            shutil.rmtree(final, ignore_errors=True)
        raise
    progress(100)
    return release


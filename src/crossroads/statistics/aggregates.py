"""The coordinators' dashboard tables and how their counts are made in the database.

Every table is victims (rows: the values of a dimension) by year of registration (columns),
counted with GROUP BY in the database over the exploitation records the access policy lets
the user see (read from the maintained summary where it holds exactly those records, see
`summary`), then passed through `disclosure.suppress_table` before it is shown, downloaded
or returned by the API. A victim is a person with an exploitation record, counted once per
cell (a merged duplicate counts as its survivor); a victim with several forms or means of
control counts under each, so such tables add up to mentions, not victims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import VIEW, require_capability, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import current_purpose, record
from crossroads.registry.models import Case as RegistryCase
from crossroads.registry.models import ExploitationRecord, Person, VulnerabilityRecord
from crossroads.text import SafeCsvWriter

from .dimensions import DIMENSIONS, FLAG_FIELDS, OTHER, Dimension
from .disclosure import SUPPRESSED, suppress_table

# The victim a record counts for: its person, or the survivor the person was merged into.
# Only the few merged persons are looked up (a probe of a small set, then one row each), so
# that counting does not join every record to its person.
VICTIM = Case(
    When(person_id__in=Person.objects.filter(merged_into__isnull=False).values("pk"),
         then=Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("merged_into_id")[:1])),
    default=F("person_id"), output_field=BigIntegerField())
MAX_YEARS = 30
FIRST_YEAR, LAST_YEAR = 1990, 2100


def threshold() -> int:
    """Cells from 1 to threshold - 1 are suppressed (CROSSROADS_SUPPRESSION_THRESHOLD)."""
    return settings.CROSSROADS_SUPPRESSION_THRESHOLD


def is_open(year: int) -> bool:
    """A year is open (still being registered) until it has ended."""
    return year >= timezone.localdate().year


@dataclass(frozen=True)
class Years:
    first: int
    last: int

    @property
    def columns(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def open(self) -> list[int]:
        """The years of the range not yet ended: their counts are partial."""
        return [y for y in self.columns if is_open(y)]

    @property
    def labelled(self) -> list[tuple[int, str]]:
        """The columns of a table by year, an open year marked as partial."""
        return [(y, _("%(year)s (to date)") % {"year": y} if is_open(y) else str(y))
                for y in self.columns]

    def as_query(self) -> dict:
        return {"year_from": self.first, "year_to": self.last}


def records_for(user):
    """The exploitation records behind the user's dashboards: those of the cases the policy
    lets the user see. The exploitation rule is the case rule; given as the set of visible
    case ids, the database probes it per record instead of joining a million records to their
    cases (bench/statistics; tests check the two give the same records)."""
    require_capability(user, "view_statistics")
    cases = restrict(RegistryCase.objects.all(), user, VIEW).order_by().values("pk")
    return ExploitationRecord.objects.filter(case_id__in=cases)


def default_years(user) -> Years:
    """From the first to the last year with a record the user may see (at most MAX_YEARS);
    without any record, the last five ended years (never an empty open year).
    Each end is the first row along the year index whose case the policy shows, the case
    probed row by row: a few index lookups, not an aggregate over every record nor the set of
    every visible case first."""
    visible_case = restrict(RegistryCase.objects.filter(pk=OuterRef("case_id")), user, VIEW)
    records = ExploitationRecord.objects.filter(Exists(visible_case))

    def end(order):
        return records.order_by(order).values_list("year_of_registration", flat=True).first()

    last = end("-year_of_registration") or timezone.localdate().year - 1
    first = max(end("year_of_registration") or last - 4, last - MAX_YEARS + 1)
    return Years(first, last)


def parse_years(params: Mapping, default: Years) -> Years:
    """The year range of a page or API call (`year_from`, `year_to`), or a ValidationError
    naming the field."""
    values = {}
    for name, fallback in (("year_from", default.first), ("year_to", default.last)):
        raw = str(params.get(name) or "").strip()
        if not raw:
            values[name] = fallback
            continue
        if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
            raise ValidationError({name: _("Enter a year from %(low)s to %(high)s.") % {
                "low": FIRST_YEAR, "high": LAST_YEAR}})
        values[name] = int(raw)
    if values["year_from"] > values["year_to"]:
        raise ValidationError({"year_to": _("The last year comes before the first.")})
    if values["year_to"] - values["year_from"] >= MAX_YEARS:
        raise ValidationError({"year_to": _("Choose at most %(n)s years.") % {"n": MAX_YEARS}})
    return Years(values["year_from"], values["year_to"])


@dataclass
class Table:
    """A table of counts with margins, after small-cell suppression (`None` marks a
    suppressed cell or margin), or, for a reader entitled to every count behind it, whole
    (`disclosure_control` False: an internal figure, never a publication)."""

    name: str
    title: str
    row_title: str
    rows: list[tuple[object, str]]         # (code, label)
    columns: list[tuple[object, str]]      # (code, label)
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None] | None  # None: not published (nested stages of a funnel)
    total: int | None
    suppressed_cells: int
    threshold: int
    notes: list[str] = field(default_factory=list)
    disclosure_control: bool = True

    @property
    def zipped(self):
        """(row label, cells, row total) per row, for templates."""
        return list(zip((label for _code, label in self.rows), self.cells, self.row_totals,
                        strict=True))

    def cell(self, row_code, column_code):
        i = [code for code, _label in self.rows].index(row_code)
        j = [code for code, _label in self.columns].index(column_code)
        return self.cells[i][j]

    def row_total(self, row_code):
        return self.row_totals[[code for code, _label in self.rows].index(row_code)]

    def as_dict(self) -> dict:
        return {
            "name": self.name, "title": self.title, "row_title": self.row_title,
            "threshold": self.threshold, "suppressed_cells": self.suppressed_cells,
            "disclosure_control": self.disclosure_control,
            "columns": [{"code": str(code), "label": label} for code, label in self.columns],
            "rows": [{"code": str(code), "label": label, "cells": cells, "total": total}
                     for (code, label), cells, total in zip(
                         self.rows, self.cells, self.row_totals, strict=True)],
            "column_totals": self.column_totals, "total": self.total, "notes": self.notes,
        }

    def write_csv(self, out) -> None:
        """Suppressed cells are empty, as in the release files."""
        def shown(values):
            return ["" if v is SUPPRESSED else v for v in values]

        writer = SafeCsvWriter(out)
        writer.writerow([self.row_title, *(label for _code, label in self.columns), _("Total")])
        for (_code, label), cells, total in zip(self.rows, self.cells, self.row_totals,
                                                 strict=True):
            writer.writerow([label, *shown(cells), *shown([total])])
        if self.column_totals is not None:
            writer.writerow([_("Total"), *shown(self.column_totals), *shown([self.total])])


def build_table(name: str, title: str, row_title: str, rows: Sequence[tuple[object, str]],
                columns: Sequence[tuple[object, str]], counts: Mapping, *, notes=(),
                column_totals: bool = True, suppress: bool = True) -> Table:
    """Lay `counts[(row, column)]` out as `rows` x `columns` and suppress it (unless
    `suppress` is False: a reader entitled to every count, see `summary.Counter.entitled`).

    The margins are published too, so they go through the suppression as cells of the table:
    the table is extended by its row totals (and its column totals), which makes every
    published line an equation `cells - total = 0`; `suppress_table` then leaves no line with
    a single hidden entry, and a small total is hidden like a small cell."""
    matrix = [[int(counts.get((r, c), 0)) for c, _l in columns] for r, _l in rows]
    n_rows, n_cols = len(matrix), len(columns)
    extended = [[*row, sum(row)] for row in matrix]
    if column_totals:
        extended.append([sum(row[j] for row in extended) for j in range(n_cols + 1)])
    released = (suppress_table(extended, threshold=threshold() if suppress else 1)
                if extended else None)
    cells = released.cells if released else []
    return Table(
        name, title, row_title, list(rows), list(columns),
        cells=[row[:n_cols] for row in cells[:n_rows]],
        row_totals=[row[n_cols] for row in cells[:n_rows]],
        column_totals=(cells[n_rows][:n_cols] if cells else [0] * n_cols) if column_totals else None,
        total=(cells[n_rows][n_cols] if cells else 0) if column_totals else None,
        suppressed_cells=len(released.suppressed) if released else 0,
        threshold=threshold(), notes=list(notes), disclosure_control=suppress)


def in_years(records, years: Years):
    return records.filter(year_of_registration__gte=years.first,
                          year_of_registration__lte=years.last)


def _field_counts(records, source: str) -> dict:
    rows = (records.values(code=F(source), year=F("year_of_registration"))
            .annotate(n=Count(VICTIM, distinct=True)).order_by())
    return {(r["code"], r["year"]): r["n"] for r in rows}


def _flag_counts(records) -> dict:
    rows = (records.values(year=F("year_of_registration"))
            .annotate(**{code: Count(VICTIM, distinct=True, filter=Q(**{column: True}))
                         for code, column in FLAG_FIELDS.items()}).order_by())
    return {(code, r["year"]): r[code] for r in rows for code in FLAG_FIELDS}


def _list_counts(records, source: str) -> dict:
    """Victims per (listed value, year) for a JSON-list column: the database unnests it
    (json_each on SQLite, jsonb_array_elements_text on PostgreSQL) over the policy's rows."""
    inner = records.annotate(victim=VICTIM).values("year_of_registration", "victim", source)
    sql, params = inner.order_by().query.sql_with_params()
    connection = connections[records.db]
    unnest = ("CROSS JOIN LATERAL jsonb_array_elements_text(r.{0}) AS e(value)"
              if connection.vendor == "postgresql" else ", json_each(r.{0}) AS e").format(source)
    query = (f"SELECT e.value, r.year_of_registration, COUNT(DISTINCT r.victim) "  # noqa: S608
             f"FROM ({sql}) AS r {unnest} GROUP BY e.value, r.year_of_registration")
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {(value, year): n for value, year, n in cursor.fetchall()}


def _special_counts(records) -> dict:
    """Victims per (vulnerable group, year): the groups are encrypted, so those of the victims
    of `records` (a merged duplicate's counted for its survivor) are decrypted and counted
    here, never grouped in the database."""
    victim_years = set(records.annotate(victim=VICTIM).values_list("victim", "year_of_registration")
                       .order_by().distinct())
    victims = records.annotate(victim=VICTIM).values("victim")
    groups: dict = defaultdict(set)
    for found in (VulnerabilityRecord.objects.select_related("person")
                  .filter(Q(person_id__in=victims) | Q(person__merged_into_id__in=victims))):
        groups[found.person.merged_into_id or found.person_id].add(found.group)
    counts: dict = defaultdict(int)
    for victim, year in victim_years:
        for group in groups.get(victim, ()):
            counts[(group, year)] += 1
    return dict(counts)


def dimension_counts(records, dimension: Dimension) -> dict:
    """Victims per (value, year) of one dimension over `records` (already narrowed to years)."""
    if dimension.kind == "special":
        return _special_counts(records)
    if dimension.kind == "flags":
        return _flag_counts(records)
    if dimension.kind == "list":
        return _list_counts(records, dimension.source)
    return _field_counts(records, dimension.source)


def _row_codes(dimension: Dimension, counts: dict) -> list:
    totals: dict = defaultdict(int)
    for (code, _year), n in counts.items():
        totals[code] += n
    present = [code for code, n in totals.items() if n]
    if dimension.choices is not None:
        order = list(dimension.choices)
        return [c for c in order if c in present] + sorted(
            (c for c in present if c not in order), key=str)
    ranked = sorted(present, key=lambda c: (-totals[c], str(c)))
    return ranked if len(ranked) <= dimension.top + 1 else ranked[:dimension.top] + [OTHER]


def dimension_table(name: str, years: Years, counts: dict, *, suppress: bool = True) -> Table:
    """The table of a dimension from its counts per (value, year)."""
    dimension = DIMENSIONS[name]
    counts = dict(counts)
    codes = _row_codes(dimension, counts)
    if OTHER in codes:
        kept = set(codes)
        for (code, year), n in list(counts.items()):
            if code not in kept:
                counts[(OTHER, year)] = counts.get((OTHER, year), 0) + n
    notes = []
    if dimension.kind != "field":
        notes.append(_("A victim counts under each value recorded, so the rows add up to "
                       "mentions, not to victims."))
    return build_table(name, str(dimension.label), str(dimension.label),
                       [(code, dimension.label_of(code)) for code in codes],
                       years.labelled, counts, notes=notes, suppress=suppress)


def audit_read(user, what: str, params: dict, tables: Sequence[Table], *, export: bool = False,
               via: str = "page") -> None:
    """One entry per dashboard view, API answer or download (downloads as exports)."""
    purpose = current_purpose.get() or (
        f"statistics {'download' if export else 'dashboard'}: {what}")
    record(user, Action.EXPORT if export else Action.VIEW_STATISTICS, object_type="statistics.dashboard",
           object_id=what[:40], purpose=purpose, details={
               "via": via, "aggregate": True, "filters": params,
               "tables": [t.name for t in tables],
               "suppressed_cells": sum(t.suppressed_cells for t in tables),
               "unsuppressed": [t.name for t in tables if not t.disclosure_control],
               "threshold": threshold()})

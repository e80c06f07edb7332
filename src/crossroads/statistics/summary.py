"""The dashboards' maintained summary: victims per (jurisdiction, measure, value, year) over the
unrestricted cases, kept by a background task, so that a dashboard over a million records reads
a few hundred stored counts instead of counting the records (bench/statistics).

Triggers in the database count the writes behind each year (`SummaryYear.changes`, in the
writer's transaction). A year written since its counts were stored is shown from them, with
their time, while they are at most CROSSROADS_SUMMARY_MAX_AGE seconds old (the task recounts
within seconds while it runs); older, or never stored, it is counted live. With the setting at
0 a dashboard always equals the live count (tests compare the two).
The task (`statistics.tasks.recount_summary`, queued for each jurisdiction with a changed year
on every round of `crossroads tasks work`) recounts the changed years of one jurisdiction: it
counts outside any write transaction, then stores the years that did not change meanwhile.

Only a user whose view is exactly the unrestricted cases of their jurisdiction
(`registry.rules.unrestricted_cases_jurisdiction`) reads it for their own tables; the risk indicators
read every jurisdiction's under the policy's COUNT scope, which is the same set of records.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import COUNT, restrict
from crossroads.registry.models import Case
from crossroads.registry.rules import unrestricted_cases_jurisdiction, unrestricted_records

from .aggregates import Years, dimension_counts, in_years, records_for
from .dimensions import DIMENSIONS, SPECIAL
from .funnels import stage_counts
from .models import SummaryBuild, SummaryCount, SummaryYear
from .rules import entitled_to_counts
from .trends import victim_counts

# measure -> how to count it over records narrowed to some years: {(value, year): victims}
MEASURES = {
    **{name: partial(dimension_counts, dimension=dimension) for name, dimension in DIMENSIONS.items()},
    "victims": victim_counts,
    "funnel": stage_counts,
}
# PostgreSQL, for counting records (the task's recounts and live counts), in that transaction
# only: room to sort the distinct victims in memory, and no JIT compilation (it costs more than
# it saves on these plans). Together they make a count over 160,000 records 2.5 times faster.
COUNTING_SETTINGS = ("SET LOCAL work_mem = '128MB'", "SET LOCAL jit = off")


@contextmanager
def _counting():
    """Counting records: on PostgreSQL in one read-only transaction with COUNTING_SETTINGS; on
    SQLite plain reads (a transaction there would hold the write lock while counting)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in COUNTING_SETTINGS:
            cursor.execute(statement)
        yield


def _live(measure: str, records) -> dict:
    with _counting():
        return MEASURES[measure](records)


def _in_range(queryset, years: Years):
    return queryset.filter(year__gte=years.first, year__lte=years.last)


def _states(jurisdiction: str, years: Years) -> tuple[list[int], dict, list[int]]:
    """The years of the range that ever held a record of the jurisdiction: current; behind
    (written since their counts were stored, but stored within CROSSROADS_SUMMARY_MAX_AGE
    seconds: shown as of then, year -> when); changed (counted live)."""
    changes = dict(_in_range(SummaryYear.objects.filter(jurisdiction_id=jurisdiction), years)
                   .values_list("year", "changes"))
    built = {year: (version, at) for year, version, at in _in_range(
        SummaryBuild.objects.filter(jurisdiction_id=jurisdiction), years)
        .values_list("year", "version", "built_at")}
    recent = timezone.now() - timedelta(seconds=settings.CROSSROADS_SUMMARY_MAX_AGE)
    current, behind, changed = [], {}, []
    for year, n in sorted(changes.items()):
        version, at = built.get(year, (None, None))
        if version == n:
            current.append(year)
        elif at is not None and at >= recent:
            behind[year] = at
        else:
            changed.append(year)
    return current, behind, changed


class Counter:
    """One user's dashboard counts. `counter(measure, years)`: from the summary when it holds
    exactly the records the policy lets the user see, else counted live over those records.
    `counter.regional(measure, years)`: per jurisdiction, under the policy's COUNT scope (the
    regional reference of the indicators: counted, never listed)."""

    def __init__(self, user):
        self.user = user
        self.records = records_for(user)
        self.jurisdiction = unrestricted_cases_jurisdiction(user)
        self.entitled = entitled_to_counts(user)
        self.behind: dict = {}     # year -> the oldest stored counts shown for it
        self._counted: dict = {}
        self._states: dict = {}    # (jurisdiction, years) -> _states(): one read per page

    def __call__(self, measure: str, years: Years) -> dict:
        key = (measure, years)
        if key not in self._counted:
            self._counted[key] = (
                _live(measure, in_years(self.records, years))
                if self.jurisdiction is None or measure in SPECIAL
                else self._summarised(self.jurisdiction, measure, years, self.records))
        return dict(self._counted[key])

    def regional(self, measure: str, years: Years) -> dict[str, dict]:
        scope = restrict(unrestricted_records(), self.user, COUNT)
        held = (_in_range(SummaryYear.objects.all(), years).order_by("jurisdiction_id")
                .values_list("jurisdiction_id", flat=True).distinct())
        return {code: self._summarised(code, measure, years, scope.filter(
            case_id__in=Case.objects.filter(jurisdiction_id=code).values("pk"))) for code in held}

    def _summarised(self, jurisdiction: str, measure: str, years: Years, live) -> dict:
        """Victims per (value, year) of `measure` over the unrestricted records of
        `jurisdiction`: stored for the current and behind years, counted from `live` (those
        same records) for the changed ones."""
        if (jurisdiction, years) not in self._states:
            self._states[(jurisdiction, years)] = _states(jurisdiction, years)
        current, behind, changed = self._states[(jurisdiction, years)]
        for year, at in behind.items():
            self.behind[year] = min(at, self.behind.get(year, at))
        stored = (restrict(SummaryCount.objects.all(), self.user, COUNT)
                  .filter(jurisdiction_id=jurisdiction, measure=measure,
                          year__in=[*current, *behind])
                  .values_list("code", "year", "victims"))
        found = {(json.loads(code), year): n for code, year, n in stored}
        if changed:
            found.update(_live(measure, live.filter(year_of_registration__in=changed)))
        return found

    def notes(self) -> list[str]:
        """What the tables of this counter say of counts shown as of an earlier time."""
        if not self.behind:
            return []
        oldest = formats.date_format(timezone.localtime(min(self.behind.values())),
                                     "SHORT_DATETIME_FORMAT")
        return [_("The counts of %(years)s are as of %(time)s; later changes show after the "
                  "next recount, within minutes.") % {
            "years": ", ".join(map(str, sorted(self.behind))), "time": oldest}]


def _unbuilt():
    """Years whose stored counts are not current."""
    current = SummaryBuild.objects.filter(jurisdiction_id=OuterRef("jurisdiction_id"),
                                          year=OuterRef("year"), version=OuterRef("changes"))
    return SummaryYear.objects.filter(~Exists(current))


def _changed():
    """(jurisdiction) of every changed year, the year whose counts are the oldest first (never
    built first), so that no jurisdiction waits behind a busy one."""
    built_at = SummaryBuild.objects.filter(jurisdiction_id=OuterRef("jurisdiction_id"),
                                           year=OuterRef("year")).values("built_at")
    return (_unbuilt().annotate(built_at=Subquery(built_at))
            .order_by(F("built_at").asc(nulls_first=True), "jurisdiction_id", "year")
            .values_list("jurisdiction_id", flat=True))


def next_changed() -> str | None:
    """The jurisdiction to recount next."""
    return _changed().first()


def changed_jurisdictions() -> list[str]:
    """Every jurisdiction with a changed year, in the order they are due (the periodic source
    of `statistics.tasks` queues a recount for each)."""
    return list(dict.fromkeys(_changed()))


def recount(jurisdiction: str) -> list[int]:
    """Recount the changed years of one jurisdiction and store those that did not change while
    they were counted (the others stay changed for the next run). Returns the years stored."""
    versions = dict(_unbuilt().filter(jurisdiction_id=jurisdiction).values_list("year", "changes"))
    if not versions:
        return []
    cases = Case.objects.filter(jurisdiction_id=jurisdiction).values("pk")
    records = unrestricted_records().filter(case_id__in=cases, year_of_registration__in=versions)
    with _counting():
        counted = {measure: count(records) for measure, count in MEASURES.items()
                   if measure not in SPECIAL}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one writer per jurisdiction at a time
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                               [f"crossroads.summary.{jurisdiction}"])
        now = dict(SummaryYear.objects.filter(jurisdiction_id=jurisdiction, year__in=versions)
                   .values_list("year", "changes"))
        stored = sorted(y for y, version in versions.items() if now.get(y) == version)
        SummaryCount.objects.filter(jurisdiction_id=jurisdiction, year__in=stored).delete()
        SummaryCount.objects.bulk_create([
            SummaryCount(jurisdiction_id=jurisdiction, year=year, measure=measure,
                         code=json.dumps(code, ensure_ascii=False), victims=n)
            for measure, counts in counted.items() for (code, year), n in counts.items()
            if n and year in stored], batch_size=2000)
        built_at = timezone.now()
        SummaryBuild.objects.bulk_create(
            [SummaryBuild(jurisdiction_id=jurisdiction, year=year, version=versions[year],
                          built_at=built_at) for year in stored],
            update_conflicts=True, unique_fields=["jurisdiction", "year"],
            update_fields=["version", "built_at"])
    return stored


def recount_changed() -> dict[str, list[int]]:
    """Recount every jurisdiction with a changed year once, now (after seeding a demo node;
    the worker queues one job per jurisdiction). Returns the years stored per jurisdiction."""
    held = _unbuilt().order_by("jurisdiction_id").values_list("jurisdiction_id", flat=True)
    return {code: recount(code) for code in sorted(set(held))}


def reset() -> int:
    """Forget when every year was counted, so that the task recounts them all: after a restore
    that bypassed the triggers (a data-only `pg_restore --disable-triggers`, a copied table).
    Returns how many years are now to be recounted."""
    with transaction.atomic():
        SummaryBuild.objects.all().delete()
        known = set(SummaryYear.objects.values_list("jurisdiction_id", "year"))
        held = set(unrestricted_records().values_list("case__jurisdiction_id",
                                                      "year_of_registration").distinct())
        SummaryYear.objects.bulk_create([SummaryYear(jurisdiction_id=code, year=year)
                                         for code, year in sorted(held - known)])
        return SummaryYear.objects.count()

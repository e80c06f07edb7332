"""Background tasks of statistics, run by `crossroads tasks work` (crossroads.jobs).

- `release`: makes a queued release's files (`release_workflow.queue_release` queues it),
  charging its ε under the ledger lock. Over budget it is refused; any other failure marks it
  failed and fails its job. Either way no file stays and no ε is recorded (`make_release`).
- `recount_summary`: recounts the changed years of one jurisdiction's dashboard summary
  (`summary.recount`). The periodic source `summary_due` queues one per jurisdiction with a
  changed year on every round of the worker; `crossroads tasks recount` has every year
  recounted (after a restore that bypassed the summary's triggers).
- `ctdc_import`: loads a queued CTDC file (`services.queue_ctdc_import`) in batches of
  `IMPORT_BATCH` rows, each its own short transaction (the node keeps answering: on SQLite a
  writer waits for one batch at most), streaming the file (bounded memory). A row's source id
  is the file's SHA-256 and its line: rows already held are not stored again, so importing
  the same file twice changes nothing, and an import cut short resumes where it stopped.
"""

import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.jobs import services as jobs
from crossroads.jobs.kinds import action, periodic

from . import ctdc, summary
from .models import CtdcImport, CtdcRecord, Release, ReleaseStatus
from .releases import ReleaseSpec, make_release, release_dir

log = logging.getLogger(__name__)
IMPORT_BATCH = 1000


@task()
@jobs.tracked
def release(job, release_id: int, seed: int | None = None) -> str:
    """Make a queued release's files (never in a request)."""
    Release.objects.filter(pk=release_id, status=ReleaseStatus.QUEUED).update(
        status=ReleaseStatus.RUNNING)
    queued = Release.objects.select_related("created_by").get(pk=release_id)
    jobs.progress(job.pk, 5, 100)
    try:
        made = make_release(ReleaseSpec.from_parameters(queued.parameters), out=release_dir(),
                            actor=queued.created_by, release=queued, seed=seed,
                            progress=lambda percent: jobs.progress(job.pk, percent, 100))
    except ValidationError as error:
        reason = " ".join(error.messages)[:500]
        Release.objects.filter(pk=release_id).update(status=ReleaseStatus.REFUSED, error=reason)
        record(queued.created_by, Action.UPDATE, queued,
               details={"task": "release", "status": ReleaseStatus.REFUSED})
        return f"release {release_id} refused: {reason}"
    except Exception as error:
        Release.objects.filter(pk=release_id).update(status=ReleaseStatus.FAILED,
                                                     error=str(error)[:500])
        record(queued.created_by, Action.UPDATE, queued,
               details={"task": "release", "status": ReleaseStatus.FAILED})
        raise
    return f"release {made.pk} {made.status}"


@task()
@jobs.tracked
def recount_summary(job, jurisdiction: str) -> str:
    years = summary.recount(jurisdiction)
    jobs.progress(job.pk, 1, 1)
    return f"{len(years)} year(s) recounted"


@periodic
def summary_due() -> int:
    """Queue a recount for every jurisdiction with a changed year and none queued yet."""
    queued = 0
    for code in summary.changed_jurisdictions():
        if jobs.active_job("summary", code) is None:
            jobs.enqueue("summary", recount_summary, code, jurisdiction=code)
            queued += 1
    return queued


@action("recount", "has the dashboards' summary recounted by `crossroads tasks work`")
def recount_all() -> str:
    return (f"dashboard summary: {summary.reset()} year(s) to recount by "
            "`crossroads tasks work`")


@task()
@jobs.tracked
def ctdc_import(job, import_id: int) -> str:
    queued = CtdcImport.objects.select_related("requested_by").get(pk=import_id)
    done = run_ctdc_import(queued, job.pk)
    return (f"{done.layout} layout, {done.imported} row(s) imported, {done.already} already "
            f"imported from this file, {done.rejected} row(s) did not fit")


# The columns an import writes, in the order of `_values`.
_COLUMNS = ("layout", "source_file", "source_digest", "line", "year", "years", "gender",
            "age_band", "majority", "citizenship", "country_of_exploitation", "forms",
            "labour_sectors", "sexual_types", "means_of_control", "recruiter_relation", "raw",
            "imported_at")
_JSON = {"forms", "labour_sectors", "sexual_types", "means_of_control", "raw"}


def _insert_sql() -> str:
    """One INSERT of a row that skips a (source_digest, line) already held (a concurrent run
    of the same file): `ON CONFLICT DO NOTHING`, on SQLite and PostgreSQL alike."""
    quote = connection.ops.quote_name
    # Only the model's own table and column names are formatted in; the values are parameters.
    return (f"INSERT INTO {quote(CtdcRecord._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(CtdcRecord._meta.get_field(c).column) for c in _COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) ON CONFLICT DO NOTHING")


def _values(row: ctdc.ImportedRow, fixed: dict, adapt_json) -> tuple:
    """A row's values as the database takes them (JSON columns as the backend adapts a
    JSONField's): no model instance per row, which cost most of an import's time."""
    values = {**fixed, "line": row.line, "year": row.year, "years": row.years,
              "gender": row.gender, "age_band": row.age_band, "majority": row.majority,
              "citizenship": row.citizenship,
              "country_of_exploitation": row.country_of_exploitation, "forms": row.forms,
              "labour_sectors": row.labour_sectors, "sexual_types": row.sexual_types,
              "means_of_control": row.means_of_control,
              "recruiter_relation": row.recruiter_relation, "raw": row.raw}
    return tuple(adapt_json(values[c], None) if c in _JSON else values[c] for c in _COLUMNS)


def _store(batch: list[ctdc.ImportedRow], problems: list, queued: CtdcImport, job_id: int,
           position: int) -> None:
    """One short transaction: the batch's rows not held yet (one `executemany`), and the
    import's counts."""
    with transaction.atomic():
        if batch:
            held = set(CtdcRecord.objects.filter(
                source_digest=queued.digest, line__gte=batch[0].line, line__lte=batch[-1].line)
                .values_list("line", flat=True))
            fixed = {"layout": queued.layout, "source_file": Path(queued.path).name[:255],
                     "source_digest": queued.digest, "imported_at": timezone.now()}
            new = [_values(row, fixed, connection.ops.adapt_json_value) for row in batch
                   if row.line not in held]
            if new:
                with connection.cursor() as cursor:
                    cursor.executemany(_insert_sql(), new)
            queued.imported += len(new)
            queued.already += len(batch) - len(new)
        queued.rejected += len(problems)
        room = CtdcImport.MAX_PROBLEMS - len(queued.problems)
        queued.problems += [[p.line, p.message] for p in problems[:max(room, 0)]]
        queued.save(update_fields=["imported", "already", "rejected", "problems"])
    jobs.progress(job_id, position, queued.size)


def run_ctdc_import(queued: CtdcImport, job_id: int, batch_size: int = IMPORT_BATCH) -> CtdcImport:
    """Stream the file into CtdcRecord (see the module's note); audited once at the end, in
    the name of who asked, with the counts."""
    path = Path(queued.path)
    if path.stat().st_size != queued.size:
        raise ValueError(f"{path}: the file changed since it was queued; queue it again")
    queued.imported = queued.already = queued.rejected = 0
    queued.problems = []
    with path.open("rb") as binary:
        layout, rows = ctdc.read(ctdc.decoded_lines(binary, str(path)))
        if layout != queued.layout:
            raise ValueError(f"{path}: the file changed since it was queued")
        batch, problems = [], []
        for item in rows:
            (problems if isinstance(item, ctdc.Problem) else batch).append(item)
            if len(batch) + len(problems) >= batch_size:
                _store(batch, problems, queued, job_id, binary.tell())
                batch, problems = [], []
        _store(batch, problems, queued, job_id, binary.tell())
    record(queued.requested_by, Action.CREATE, object_type="statistics.ctdcrecord",
           purpose="CTDC import",
           details={"layout": layout, "file": path.name, "sha256": queued.digest,
                    "rows": queued.imported, "already_imported": queued.already,
                    "rejected": queued.rejected})
    return queued

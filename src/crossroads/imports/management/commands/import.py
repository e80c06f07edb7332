from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crossroads.access.acting import acting_user
from crossroads.access.policy import PolicyDenied
from crossroads.imports import queries, services
from crossroads.imports.choices import ImportStatus, OnBadRow
from crossroads.jobs.choices import JobStatus
from crossroads.jobs.worker import run_now


class Command(BaseCommand):
    help = ("`import cases FILE.csv --mapping MAP.yaml --user USERNAME [--dry-run] "
            "[--on-bad-row skip|reject]`: import an existing register into the user's "
            "agency, every row through the register's services, as a background job "
            "(docs/import.md). Exits 1 if a row was rejected.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        cases = sub.add_parser("cases", help="victims' cases from a CSV file")
        cases.add_argument("file")
        cases.add_argument("--mapping", required=True, help="the column mapping (YAML)")
        cases.add_argument("--user", help="the account the import runs as (its agency's cases)")
        cases.add_argument("--dry-run", action="store_true",
                           help="check and count every row, write nothing")
        cases.add_argument("--on-bad-row", choices=OnBadRow.values, default=OnBadRow.SKIP,
                           help="skip: import the good rows; reject: nothing if a row is bad")
        cases.add_argument("--queue", action="store_true",
                           help="only queue the import for `crossroads tasks work`")

    def handle(self, *args, what, **options):
        actor = acting_user(options["user"], "an import")
        path, mapping = Path(options["file"]), Path(options["mapping"])
        for given in (path, mapping):
            if not given.is_file():
                raise CommandError(f"no such file: {given}")
        try:
            with path.open("rb") as source:
                prepared = services.prepare_import(actor, services.ImportInput(
                    file=source, file_name=path.name,
                    mapping=mapping.read_text(encoding="utf-8"),
                    on_bad_row=options["on_bad_row"], dry_run=options["dry_run"]),
                    own_agency=True)
            prepared = services.start_import(actor, prepared)
        except ValidationError as error:
            raise CommandError("; ".join(f"{place}: {' '.join(messages)}"
                                         for place, messages in error.message_dict.items())) \
                from None
        except PolicyDenied:
            raise CommandError(f"--user: {actor.username} may not import cases (case workers, "
                               "investigators and prosecutors import into their agency)") from None
        if options["queue"]:
            self.stdout.write(f"{path}: import {prepared.pk} queued; `crossroads tasks work` "
                              f"runs it, its progress is job {prepared.job_id}")
            return
        self._report(path, run_now(prepared.job), queries.import_for(actor, prepared.pk))

    def _report(self, path, job, done):
        if job.status != JobStatus.DONE:
            raise CommandError(f"{path}: import failed: {job.error}")
        would = "would be " if done.dry_run else ""
        self.stdout.write(f"{path}: {done.get_status_display()}. {done.rows} row(s): "
                          f"{done.created} {would}new, {done.unchanged} unchanged, "
                          f"{done.changed} changed in the source (not applied), "
                          f"{done.rejected} rejected")
        problems = done.problem_list
        for problem in problems:
            column = f" ({problem['column']})" if problem["column"] else ""
            self.stderr.write(f"  line {problem['line']}, {problem['field']}{column}: "
                              f"{problem['outcome']}: {problem['message']}")
        if done.rejected + done.changed > len(problems):
            self.stderr.write(f"  ... and more: {done.rejected} rejected, {done.changed} changed")
        if done.rejected:
            nothing = done.status in {ImportStatus.REJECTED, ImportStatus.CHECKED}
            raise CommandError(f"{path}: {done.rejected} row(s) rejected (listed above); "
                               + ("nothing was written" if nothing else "the other rows are imported"))

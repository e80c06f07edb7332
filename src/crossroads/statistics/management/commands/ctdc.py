from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crossroads.access.acting import acting_user
from crossroads.access.policy import PolicyDenied
from crossroads.jobs.choices import JobStatus
from crossroads.jobs.worker import run_now
from crossroads.statistics import ctdc, services
from crossroads.statistics.acting import option_errors


class Command(BaseCommand):
    help = ("CTDC data standard: `ctdc export --user COORDINATOR --layout global|synthetic --out "
            "FILE` writes the exploitation records that coordinator may see under the access "
            "policy (audited as an export in their name); `ctdc import --user COORDINATOR FILE` "
            "loads a CTDC file (layout detected) into the statistics-only CtdcRecord table.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the node's exploitation records")
        export.add_argument("--layout", choices=ctdc.LAYOUTS, default="global")
        export.add_argument("--out", required=True, help="file to write (notes beside it)")
        export.add_argument("--jurisdiction", default="",
                            help="the coordinator's own jurisdiction (the default)")
        export.add_argument("--user", help="the coordinator the export runs as")
        load = sub.add_parser("import", help="load a CTDC file (global, synthetic or "
                                             "victim-perpetrator layout)")
        load.add_argument("file")
        load.add_argument("--user", help="the coordinator the import runs as")
        load.add_argument("--queue", action="store_true",
                          help="only queue the import for the task runner (`crossroads tasks "
                               "work`) and return; by default it runs here and now")

    def handle(self, *args, action, **options):
        actor = acting_user(options["user"], f"a CTDC {action}")
        try:
            self._run(actor, action, options)
        except ValidationError as error:
            raise option_errors(error) from None
        except PolicyDenied:
            raise CommandError(f"--user: {actor.username} may not {action} CTDC records "
                               "(coordinators only)") from None

    def _run(self, actor, action, options):
        if action == "export":
            out = Path(options["out"])
            result = services.export_file(actor, out, options["layout"],
                                          options["jurisdiction"].upper() or None)
            self.stdout.write(f"wrote {result.rows} record(s) to {out} "
                              f"({options['layout']} layout); notes in {out}.notes.txt")
            for note in result.notes[1:]:
                self.stdout.write(f"  note: {note}")
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            queued = services.queue_ctdc_import(actor, path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["queue"]:
            self.stdout.write(f"{path}: CTDC import {queued.pk} queued ({queued.layout} layout); "
                              "`crossroads tasks work` runs it, its progress is job "
                              f"{queued.job_id}")
            return
        job = run_now(queued.job)
        if job.status != JobStatus.DONE:
            raise CommandError(f"{path}: import failed: {job.error}")
        queued.refresh_from_db()
        self.stdout.write(f"{path}: {queued.layout} layout, {queued.imported} row(s) imported, "
                          f"{queued.rejected} row(s) did not fit")
        if queued.already:
            self.stdout.write(f"  {queued.already} row(s) already imported from this file "
                              f"(SHA-256 {queued.digest[:16]}...) were not stored again"
                              + ("; nothing changed" if not queued.imported else ""))
        for line, message in queued.problems:
            self.stderr.write(f"  line {line}: {message}")
        if queued.rejected > len(queued.problems):
            self.stderr.write(f"  ... and {queued.rejected - len(queued.problems)} more")
        if queued.rejected:
            raise CommandError(f"{path}: {queued.rejected} row(s) rejected (listed above); the "
                               "other rows are imported")

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crossroads.access.policy import PolicyDenied
from crossroads.statistics import ctdc, services
from crossroads.statistics.acting import acting_user, option_errors


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
            parsed = services.import_file(actor, path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{path}: {parsed.layout} layout, {len(parsed.rows)} row(s) imported, "
                          f"{len(parsed.problems)} row(s) did not fit")
        for problem in parsed.problems[:200]:
            self.stderr.write(f"  line {problem.line}: {problem.message}")
        if len(parsed.problems) > 200:
            self.stderr.write(f"  ... and {len(parsed.problems) - 200} more")

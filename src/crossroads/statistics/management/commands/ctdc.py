from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossroads.statistics import ctdc, services


class Command(BaseCommand):
    help = ("CTDC data standard: `ctdc export --layout global|synthetic --out FILE` writes every "
            "exploitation record of the node (audited as an export); `ctdc import FILE` loads a "
            "CTDC file (layout detected) into the statistics-only CtdcRecord table.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the node's exploitation records")
        export.add_argument("--layout", choices=ctdc.LAYOUTS, default="global")
        export.add_argument("--out", required=True, help="file to write (notes beside it)")
        export.add_argument("--jurisdiction", default="",
                            help="only the records of this jurisdiction (default: the whole node)")
        load = sub.add_parser("import", help="load a CTDC file (global, synthetic or "
                                             "victim-perpetrator layout)")
        load.add_argument("file")

    def handle(self, *args, action, **options):
        if action == "export":
            out = Path(options["out"])
            result = services.export_file(out, options["layout"],
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
            parsed = services.import_file(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{path}: {parsed.layout} layout, {len(parsed.rows)} row(s) imported, "
                          f"{len(parsed.problems)} row(s) did not fit")
        for problem in parsed.problems[:200]:
            self.stderr.write(f"  line {problem.line}: {problem.message}")
        if len(parsed.problems) > 200:
            self.stderr.write(f"  ... and {len(parsed.problems) - 200} more")

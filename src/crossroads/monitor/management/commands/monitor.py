from django.core.management.base import BaseCommand, CommandError

from crossroads.monitor import queries, services


class Command(BaseCommand):
    help = ("The legal monitor. `monitor load-obligations [--file F]` brings the obligation "
            "catalogue in line with the copy shipped in the package (entries a coordinator "
            "corrected are kept); `monitor obligations` prints the counts by verification.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="step", required=True)
        load = sub.add_parser("load-obligations", help="load the shipped obligation catalogue")
        load.add_argument("--file", default=None, help="another catalogue file (same layout)")
        sub.add_parser("obligations", help="the catalogue's counts by verification status")

    def handle(self, *args, step, **options):
        if step == "load-obligations":
            try:
                result = services.load_catalogue(options.get("file"))
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"created {len(result.created)}, updated {len(result.updated)}, "
                              f"unchanged {result.unchanged}, kept (corrected by a coordinator) "
                              f"{len(result.kept)}")
            for key in result.kept:
                self.stdout.write(f"  kept {key}")
        for status, count in queries.verification_counts().items():
            self.stdout.write(f"{status:14} {count}")

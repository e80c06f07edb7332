from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossroads.statistics.releases import release_microdata, release_tables


class Command(BaseCommand):
    help = ("Make a release that passes disclosure control: suppressed tables or k-anonymous "
            "microdata, in a versioned folder with a manifest.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["tables", "microdata"])
        parser.add_argument("--out", required=True, type=Path, help="folder that receives the release")
        parser.add_argument("--approved-by", required=True,
                            help="who approved the release (written to the manifest)")
        parser.add_argument("--k", type=int, default=11, help="k of k-anonymity (microdata)")
        parser.add_argument("--threshold", type=int, default=5,
                            help="smallest count published in a table cell")
        parser.add_argument("--jurisdiction", help="only this jurisdiction's records")

    def handle(self, *args, kind, out, approved_by, k, threshold, jurisdiction, **options):
        if k < 2 or threshold < 2:
            raise CommandError("--k and --threshold must be at least 2")
        if not approved_by.strip():
            raise CommandError("--approved-by must name who approved the release")
        if kind == "tables":
            made = release_tables(out, threshold=threshold, approved_by=approved_by,
                                  jurisdiction=jurisdiction)
        else:
            made = release_microdata(out, k=k, approved_by=approved_by, jurisdiction=jurisdiction)
        self.stdout.write(f"release written to {made.folder}")
        for key in ("records", "released", "suppressed", "suppression_rate"):
            if key in made.manifest:
                self.stdout.write(f"  {key}: {made.manifest[key]}")

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crossroads.statistics.releases import ReleaseSpec, make_release


class Command(BaseCommand):
    help = ("Make a release that passes disclosure control: suppressed tables (noisy counts "
            "with --epsilon), k-anonymous microdata, or differentially private synthetic "
            "microdata, in a versioned folder with a manifest. DP releases spend from the "
            "privacy budget of each dataset they draw on, and are refused over budget.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["tables", "microdata", "synthetic"])
        parser.add_argument("--out", required=True, type=Path, help="folder that receives the release")
        parser.add_argument("--approved-by", required=True,
                            help="who approved the release (written to the manifest)")
        parser.add_argument("--k", type=int, default=11, help="k of k-anonymity (microdata)")
        parser.add_argument("--epsilon", help="ε of a differentially private release (tables: "
                            "noisy counts; synthetic: required, default 1)")
        parser.add_argument("--threshold", type=int, default=5,
                            help="smallest count published in a table cell")
        parser.add_argument("--columns", help="comma-separated columns (microdata, synthetic) or "
                            "table names (tables); default all")
        parser.add_argument("--jurisdiction", help="only this jurisdiction's records")
        parser.add_argument("--seed", type=int, help="seed of the synthetic sampling (tests)")

    def handle(self, *args, kind, out, approved_by, k, epsilon, threshold, columns, jurisdiction,
               seed, **options):
        if not approved_by.strip():
            raise CommandError("--approved-by must name who approved the release")
        if kind == "synthetic" and epsilon is None:
            epsilon = "1"
        spec = ReleaseSpec(kind=kind, columns=[c.strip() for c in (columns or "").split(",") if c.strip()],
                           k=k if kind == "microdata" else None,
                           threshold=threshold if kind == "tables" else None,
                           epsilon=epsilon, jurisdiction=jurisdiction)
        try:
            made = make_release(spec, out=out, approved_by=approved_by.strip(), seed=seed)
        except ValidationError as error:
            raise CommandError("; ".join(f"--{name}: {' '.join(messages)}"
                                         for name, messages in error.message_dict.items())) from None
        self.stdout.write(f"release {made.pk} written to {made.folder}")
        for key in ("records", "released", "suppressed", "suppression_rate", "epsilon", "k"):
            if made.manifest.get(key) is not None:
                self.stdout.write(f"  {key}: {made.manifest[key]}")

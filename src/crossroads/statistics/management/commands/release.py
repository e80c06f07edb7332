from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crossroads.access.acting import acting_user
from crossroads.access.policy import PolicyDenied
from crossroads.statistics import release_workflow
from crossroads.statistics.acting import APPROVED_BY_RETIRED, option_errors
from crossroads.statistics.choices import ReleaseStatus
from crossroads.statistics.releases import ReleaseSpec

OUT_RETIRED = ("--out no longer writes the files: the release is prepared in the node's release "
               "folder (CROSSROADS_RELEASE_DIR) and leaves it only once a second coordinator "
               "approves it on /releases/; its files are then downloaded from "
               "/releases/catalogue/ (or /api/v1/releases/ID/files/NAME).")


class Command(BaseCommand):
    help = ("Prepare a release that passes disclosure control, for a coordinator (--user): "
            "suppressed tables (noisy counts with --epsilon), k-anonymous microdata, or "
            "differentially private synthetic microdata, with a manifest. It awaits a second "
            "coordinator's approval on /releases/ before it leaves the node. DP releases spend "
            "from the privacy budget of the coordinator's jurisdiction, refused over budget.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["tables", "microdata", "synthetic"])
        parser.add_argument("--user", help="the coordinator who asks for the release")
        parser.add_argument("--out", help="retired: the files stay in the node until approved")
        parser.add_argument("--approved-by", help="retired: a second coordinator approves the "
                                                  "release on /releases/")
        parser.add_argument("--k", type=int, default=11, help="k of k-anonymity (microdata)")
        parser.add_argument("--epsilon", help="ε of a differentially private release (tables: "
                            "noisy counts; synthetic: required, default 1)")
        parser.add_argument("--threshold", type=int, default=5,
                            help="smallest count published in a table cell")
        parser.add_argument("--columns", help="comma-separated columns (microdata, synthetic) or "
                            "table names (tables); default all")
        parser.add_argument("--jurisdiction", help="the records of this jurisdiction (the "
                            "coordinator's own; the default)")
        parser.add_argument("--seed", type=int, help="seed of the synthetic sampling (tests)")

    def handle(self, *args, kind, user, out, approved_by, k, epsilon, threshold, columns,
               jurisdiction, seed, **options):
        if approved_by is not None:
            raise CommandError(APPROVED_BY_RETIRED)
        if out is not None:
            raise CommandError(OUT_RETIRED)
        actor = acting_user(user, "a release")
        if kind == "synthetic" and epsilon is None:
            epsilon = "1"
        spec = ReleaseSpec(kind=kind, columns=[c.strip() for c in (columns or "").split(",") if c.strip()],
                           k=k if kind == "microdata" else None,
                           threshold=threshold if kind == "tables" else None,
                           epsilon=epsilon, jurisdiction=(jurisdiction or "").upper() or None)
        try:
            made = release_workflow.prepare(actor, spec, seed=seed)
        except ValidationError as error:
            raise option_errors(error) from None
        except PolicyDenied:
            raise CommandError(f"--user: {actor.username} may not prepare releases "
                               "(coordinators only)") from None
        if made.status == ReleaseStatus.QUEUED:
            self.stdout.write(f"release {made.pk} queued; the task runner prepares it")
        elif made.status != ReleaseStatus.PREPARED:
            raise CommandError(f"release {made.pk} {made.get_status_display().lower()}: {made.error}")
        else:
            self.stdout.write(f"release {made.pk} prepared for {actor.username}, awaiting approval: "
                              f"a second coordinator of {made.jurisdiction_id} approves it on "
                              "/releases/")
        for key in ("records", "released", "suppressed", "suppression_rate", "epsilon", "k"):
            if made.manifest.get(key) is not None:
                self.stdout.write(f"  {key}: {made.manifest[key]}")

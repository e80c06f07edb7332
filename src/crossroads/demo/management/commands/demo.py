import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from crossroads.access.choices import Role
from crossroads.access.models import Agency, User
from crossroads.demo.guard import refuse_in_production
from crossroads.demo.oversight import first_scan
from crossroads.demo.region import seed_node
from crossroads.demo.seed import seed_jurisdiction
from crossroads.linkage.services import queue_dedupe
from crossroads.statistics import summary


class Command(BaseCommand):
    help = "Seed the node with the synthetic demo region and write demo-logins.json."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--jurisdictions", default="AL,RS",
                            help="comma-separated jurisdiction codes hosted by this node")
        parser.add_argument("--cases", type=int, default=800, help="cases in all (split evenly)")
        parser.add_argument("--logins", default="demo-logins.json",
                            help="where to write the logins (JSON)")
        parser.add_argument("--jurisdiction",
                            help="seed a region node: this one jurisdiction, about --persons "
                                 "persons, and its records of the region's cross-border persons")
        parser.add_argument("--persons", type=int, default=300,
                            help="with --jurisdiction: about how many persons (default 300)")

    def handle(self, *args, seed, jurisdictions, cases, logins, jurisdiction, persons, **options):
        refuse_in_production("demo")
        if jurisdiction:
            codes = [jurisdiction.strip().upper()]
            if persons < 1:
                raise CommandError("--persons must be at least 1")
        else:
            codes = [c.strip().upper() for c in jurisdictions.split(",") if c.strip()]
            if cases < len(codes):
                raise CommandError("--cases must be at least the number of jurisdictions")
        call_command("migrate", interactive=False, verbosity=0)
        if Agency.objects.filter(jurisdiction_id__in=codes).exists():
            held = ",".join(codes)
            raise CommandError(f"This database already holds agencies of {held}; seed an empty one "
                               "(remove the SQLite file or set CROSSROADS_DATA_DIR).")
        all_logins = []
        for code in codes:
            if jurisdiction:
                try:
                    totals = seed_node(seed, code, persons)
                except ValueError as error:
                    raise CommandError(f"--jurisdiction: {error}") from error
            else:
                totals = seed_jurisdiction(seed, code, cases // len(codes))
            all_logins += totals.logins
            self.stdout.write(f"{code}: {totals.persons} persons, {totals.cases} cases, "
                              f"{totals.duplicates} persons recorded twice"
                              + (f", {totals.cross_border} also recorded by another jurisdiction"
                                 if jurisdiction else ""))
        if connection.vendor == "postgresql":
            # Fresh statistics: the planner would otherwise guess on the bulk-loaded tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        scan = first_scan()
        self.stdout.write(f"Oversight: the first scan raised {scan.raised} access alert(s)")
        counted = summary.recount_changed()
        self.stdout.write(f"Dashboard summary: {sum(map(len, counted.values()))} year(s) counted")
        self._queue_deduplication(codes)
        Path(logins).write_text(json.dumps(all_logins, indent=2, ensure_ascii=False))
        self.stdout.write(f"\nDemo logins (also in {Path(logins).resolve()}, with API tokens):")
        self.stdout.write(f"  {'user name':<20} {'password':<28} {'authenticator secret':<34} role")
        for login in all_logins:
            self.stdout.write(f"  {login['username']:<20} {login['password']:<28} "
                              f"{login['totp_secret']:<34} {login['role']}")
        self.stdout.write("\nAfter the password the node asks for a code: add the secret to an "
                          "authenticator app, or run `oathtool --totp -b SECRET`.")

    def _queue_deduplication(self, codes: list[str]) -> None:
        """A whole-node deduplication per jurisdiction, queued as its coordinator would from
        the duplicates page: the task runner (`serve --tasks`, `tasks work`) fills the review
        queue with the persons the seed recorded twice."""
        for code in codes:
            coordinator = (User.objects.filter(role=Role.COORDINATOR, is_active=True,
                                               agency__jurisdiction_id=code)
                           .order_by("pk").first())
            if coordinator is not None:
                run = queue_dedupe(coordinator)
                self.stdout.write(f"{code}: deduplication run {run.pk} queued for the task "
                                  "runner (`crossroads tasks work`)")

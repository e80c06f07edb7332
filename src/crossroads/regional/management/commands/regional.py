"""`crossroads regional demo-accounts|publish|demo-publish`: the demo hub's analyst; a node's
publication (prepared for a coordinator, sent once a second coordinator approves it)."""

import json
import random
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from crossroads.access.acting import acting_user
from crossroads.access.choices import AgencyKind, Role
from crossroads.access.models import Agency, Jurisdiction, User
from crossroads.access.policy import PolicyDenied
from crossroads.demo.accounts import create_login
from crossroads.demo.guard import refuse_in_production
from crossroads.regional import services
from crossroads.regional.tables import Refused
from crossroads.statistics import release_workflow
from crossroads.statistics.acting import APPROVED_BY_RETIRED, option_errors

HUB_JURISDICTION = "HB"  # the hub's own organisation; it holds no case data of its own


class Command(BaseCommand):
    help = ("`demo-accounts`: the demo hub's analyst account, with a known password, token and "
            "authenticator (written to --logins); `publish --user COORDINATOR`: prepare this "
            "node's suppressed tables for the hub; they are sent once a second coordinator "
            "approves them on /releases/; `demo-publish`: the demo region's publication, "
            "prepared and approved by the demo's two coordinators (never under production).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["demo-accounts", "publish", "demo-publish"])
        parser.add_argument("--logins", help="demo-accounts: where to write the logins (JSON)")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--jurisdiction", help="publish: the jurisdiction whose tables")
        parser.add_argument("--threshold", type=int, default=services.DEFAULT_THRESHOLD,
                            help="publish: cells below this are suppressed (default 5)")
        parser.add_argument("--user", help="publish: the coordinator who asks for the release")
        parser.add_argument("--approved-by", help="retired: a second coordinator approves the "
                                                  "release on /releases/")

    def handle(self, *args, action, **options):
        if action == "demo-accounts":
            self._accounts(options["logins"], options["seed"])
            return
        if options["approved_by"] is not None:
            raise CommandError(APPROVED_BY_RETIRED)
        jurisdiction = (options["jurisdiction"] or "").upper()
        if not jurisdiction or not Jurisdiction.objects.filter(code=jurisdiction).exists():
            raise CommandError("--jurisdiction: a jurisdiction of this node")
        if options["threshold"] < 2:
            raise CommandError("--threshold: at least 2")
        if action == "demo-publish":
            self._demo_publish(jurisdiction, options["threshold"])
            return
        actor = acting_user(options["user"], "a publication")
        if actor.jurisdiction_id != jurisdiction:
            raise CommandError(f"--user: {actor.username} is not a coordinator of {jurisdiction}")
        release = self._prepare(actor, options["threshold"])
        self.stdout.write(f"release {release.pk} ({release.folder}) prepared for the hub, awaiting "
                          f"approval: a second coordinator of {jurisdiction} approves it on "
                          "/releases/, which sends it")

    def _prepare(self, actor, threshold):
        try:
            return services.prepare_publication(actor, threshold=threshold)
        except Refused as error:
            raise CommandError(f"the release would be refused by the hub: {error}") from None
        except ValidationError as error:  # the release's parameters, named
            raise option_errors(error) from None
        except PolicyDenied:
            raise CommandError(f"--user: {actor.username} may not prepare releases "
                               "(coordinators only)") from None

    def _demo_publish(self, jurisdiction, threshold):
        """The demo region's first publication, through the same four-eyes workflow."""
        refuse_in_production("regional demo-publish")
        code = jurisdiction.lower()
        preparer = User.objects.filter(username=f"{code}_coordinator").first()
        approver = User.objects.filter(username=f"{code}_coordinator_2").first()
        if preparer is None or approver is None:
            raise CommandError(f"--jurisdiction: no demo coordinators of {jurisdiction} "
                               "(seed the node with `crossroads demo` first)")
        release = self._prepare(preparer, threshold)
        try:
            release_workflow.approve(approver, release.pk, "demo region")
        except ValidationError as error:
            raise option_errors(error) from None
        self.stdout.write(f"release {release.pk} ({release.folder}) prepared by {preparer.username}, "
                          f"approved by {approver.username} and queued for the hub")

    def _accounts(self, logins, seed):
        refuse_in_production("regional demo-accounts")
        if not logins:
            raise CommandError("--logins is required")
        with transaction.atomic():
            hub, _ = Jurisdiction.objects.get_or_create(code=HUB_JURISDICTION,
                                                        defaults={"name": "Regional hub"})
            if Agency.objects.filter(jurisdiction=hub).exists():
                raise CommandError("the hub's accounts exist already")
            agency = Agency.objects.create(name="Regional Secretariat – Analysis Unit",
                                           kind=AgencyKind.INTERNATIONAL, jurisdiction=hub)
            rng = random.Random(f"{seed}-hub-accounts")
            made = [create_login(rng, "hub_analyst", Role.ANALYST, agency, "Regional hub")]
        Path(logins).write_text(json.dumps(made, indent=2, ensure_ascii=False))
        self.stdout.write(f"hub accounts written to {Path(logins).resolve()}")

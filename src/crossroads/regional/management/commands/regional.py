"""`crossroads regional demo-accounts|publish`: the demo hub's analyst; a node's publication."""

import json
import random
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from crossroads.access.models import Agency, Jurisdiction
from crossroads.access.roles import AgencyKind, Role
from crossroads.demo.accounts import create_login
from crossroads.regional import services
from crossroads.regional.tables import Refused

HUB_JURISDICTION = "HB"  # the hub's own organisation; it holds no case data of its own


class Command(BaseCommand):
    help = ("`demo-accounts`: the demo hub's analyst account, with a known password, token and "
            "authenticator (written to --logins); `publish`: release this node's suppressed "
            "tables and send them to the hub.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["demo-accounts", "publish"])
        parser.add_argument("--logins", help="demo-accounts: where to write the logins (JSON)")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--jurisdiction", help="publish: the jurisdiction whose tables")
        parser.add_argument("--threshold", type=int, default=services.DEFAULT_THRESHOLD,
                            help="publish: cells below this are suppressed (default 5)")
        parser.add_argument("--approved-by", help="publish: who approved the release")

    def handle(self, *args, action, **options):
        if action == "demo-accounts":
            self._accounts(options["logins"], options["seed"])
        else:
            self._publish(options["jurisdiction"], options["threshold"], options["approved_by"])

    def _accounts(self, logins, seed):
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

    def _publish(self, jurisdiction, threshold, approved_by):
        if not jurisdiction or not Jurisdiction.objects.filter(code=jurisdiction.upper()).exists():
            raise CommandError("--jurisdiction: a jurisdiction of this node")
        if not approved_by:
            raise CommandError("--approved-by: who approved the release (it is recorded)")
        if threshold < 2:
            raise CommandError("--threshold: at least 2")
        try:
            published = services.publish_tables(jurisdiction.upper(), threshold=threshold,
                                                approved_by=approved_by)
        except Refused as error:
            raise CommandError(f"the release would be refused by the hub: {error}") from None
        except ValidationError as error:  # the release's parameters, named
            if not hasattr(error, "error_dict"):
                raise CommandError(" ".join(error.messages)) from None
            raise CommandError("; ".join(f"--{field}: {' '.join(messages)}" for field, messages
                                         in error.message_dict.items())) from None
        self.stdout.write(f"release {published.version} ({published.folder}) queued for the hub "
                          f"as message {published.message_id}")

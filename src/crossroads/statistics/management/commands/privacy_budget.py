from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crossroads.access.acting import acting_user
from crossroads.access.models import Jurisdiction
from crossroads.access.policy import PolicyDenied
from crossroads.statistics import ledger, release_workflow
from crossroads.statistics.acting import option_errors
from crossroads.statistics.choices import BudgetChangeStatus


class Command(BaseCommand):
    help = ("Show the privacy budget of each dataset (total, spent, reserved, remaining ε), or "
            "ask for a new total with --jurisdiction, --total and --user (a coordinator of that "
            "jurisdiction; audited). A lower total applies at once; a higher one waits for a "
            "second coordinator's approval on /releases/.")

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", help="the dataset: a jurisdiction's records")
        parser.add_argument("--total", help="new total ε of that dataset")
        parser.add_argument("--user", help="--total: the coordinator who asks for the change")

    def handle(self, *args, jurisdiction, total, user, **options):
        jurisdiction = (jurisdiction or "").upper() or None
        if jurisdiction and not Jurisdiction.objects.filter(pk=jurisdiction).exists():
            raise CommandError(f"--jurisdiction: no jurisdiction {jurisdiction!r}")
        if total is not None:
            if not jurisdiction:
                raise CommandError("--total needs --jurisdiction")
            actor = acting_user(user, "a change of the privacy budget")
            try:
                change = release_workflow.change_budget(actor, jurisdiction, total)
            except ValidationError as error:
                raise option_errors(error) from None
            except PolicyDenied:
                raise CommandError(f"--user: {actor.username} may not change the privacy budget "
                                   "(coordinators only)") from None
            if change.status == BudgetChangeStatus.PENDING:
                self.stdout.write(f"budget change {change.pk} ({change.previous_total} -> "
                                  f"{change.new_total}) awaits approval: a second coordinator "
                                  f"of {jurisdiction} approves it on /releases/")
        codes = [jurisdiction] if jurisdiction else list(Jurisdiction.objects.values_list("pk", flat=True))
        for code in codes:
            row = ledger.summary(ledger.budget_of(code))
            self.stdout.write(f"{code}: total {row['total']}, spent {row['spent']}, reserved "
                              f"{row['reserved']}, remaining {row['remaining']}")

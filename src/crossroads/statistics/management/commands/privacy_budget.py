from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crossroads.access.models import Jurisdiction
from crossroads.statistics import ledger


class Command(BaseCommand):
    help = ("Show the privacy budget of each dataset (total, spent, reserved, remaining ε), or "
            "set a dataset's total with --jurisdiction and --total (audited).")

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", help="the dataset: a jurisdiction's records")
        parser.add_argument("--total", help="new total ε of that dataset")

    def handle(self, *args, jurisdiction, total, **options):
        if total is not None:
            if not jurisdiction:
                raise CommandError("--total needs --jurisdiction")
            if not Jurisdiction.objects.filter(pk=jurisdiction).exists():
                raise CommandError(f"--jurisdiction: no jurisdiction {jurisdiction!r}")
            try:
                ledger.set_total(jurisdiction, total)
            except (ValidationError, ArithmeticError) as error:
                raise CommandError(f"--total: {' '.join(getattr(error, 'messages', [str(error)]))}") from None
        codes = [jurisdiction] if jurisdiction else list(Jurisdiction.objects.values_list("pk", flat=True))
        for code in codes:
            row = ledger.summary(ledger.budget_of(code))
            self.stdout.write(f"{code}: total {row['total']}, spent {row['spent']}, reserved "
                              f"{row['reserved']}, remaining {row['remaining']}")

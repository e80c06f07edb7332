from django.core.management.base import BaseCommand

from crossroads.audit import partitions


class Command(BaseCommand):
    help = ("PostgreSQL: make the audit table's partitions of this month and the next ones ahead "
            "of time (run monthly from cron); nothing to do on SQLite.")

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=3,
                            help="how many months after this one (default 3)")

    def handle(self, *args, months, **options):
        if not partitions.is_partitioned():
            self.stdout.write("the audit table is not partitioned here (SQLite): nothing to do")
            return
        made, skipped = partitions.ensure_months(ahead=max(months, 0))
        for name in made:
            self.stdout.write(f"made {name}")
        for name in skipped:
            self.stderr.write(f"{name}: its month's entries are in the DEFAULT partition "
                              "already; they stay there (they verify; only pruning is lost)")
        if not made and not skipped:
            self.stdout.write(f"the partitions up to {months} month(s) ahead exist")

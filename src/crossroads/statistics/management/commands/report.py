from django.core.management.base import BaseCommand

from crossroads.statistics.figures import format_report, seed_figures


class Command(BaseCommand):
    help = ("Reports of the node's statistics. `report seed-figures` recomputes the figures "
            "the seed paper quotes from the node's exploitation records and prints them beside "
            "the paper's values.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        seed = sub.add_parser("seed-figures", help="the seed paper's figures, recomputed")
        seed.add_argument("--from", dest="first_year", type=int, default=2018)
        seed.add_argument("--to", dest="last_year", type=int, default=2023)
        seed.add_argument("--jurisdiction", default="", help="only this jurisdiction's records")

    def handle(self, *args, report, first_year, last_year, jurisdiction, **options):
        figures = seed_figures(first_year, last_year, jurisdiction.upper() or None)
        self.stdout.write(format_report(figures))

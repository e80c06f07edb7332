"""`crossroads report ...`: the statistics app's reports (seed-figures) and the monitor's annual
report. This command takes the name over from statistics (monitor is listed before it) and
keeps its subcommands."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from crossroads.access.policy import PolicyDenied
from crossroads.monitor import reference
from crossroads.monitor import report as annual
from crossroads.monitor.published import published_figures
from crossroads.statistics.figures import format_report, seed_figures
from crossroads.statistics.management.commands.report import Command as StatisticsReport

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class Command(StatisticsReport):
    help = (StatisticsReport.help + " `report annual --jurisdiction XX --year YYYY --language "
            "LANG --out FILE.pdf [--user U]` writes the national coordinator's annual report: "
            "without --user only what is publishable (released tables, published figures, the "
            "year's closed review cycle); with --user what the policy lets that user see.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = next(a for a in parser._subparsers._group_actions if a.dest == "report")
        annual_parser = sub.add_parser("annual", help="the annual report as PDF (or HTML: FILE.html)")
        annual_parser.add_argument("--jurisdiction", required=True, dest="annual_jurisdiction")
        annual_parser.add_argument("--year", required=True, type=int)
        annual_parser.add_argument("--language", required=True, choices=LANGUAGES)
        annual_parser.add_argument("--out", required=True)
        annual_parser.add_argument("--user", default="", help="add this user's internal view")

    def handle(self, *args, report: str, **options):
        if report == "seed-figures":
            return self.seed_figures(options["first_year"], options["last_year"],
                                     options["jurisdiction"].upper() or None)
        if report != "annual":
            return super().handle(*args, report=report, **options)
        code = options["annual_jurisdiction"].upper()
        if code not in reference.CODES:
            raise CommandError("--jurisdiction: one of AL, BA, XK, ME, MK, RS")
        if not 2000 <= options["year"] <= 2100:
            raise CommandError("--year: a year from 2000 to 2100")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"],
                                                   is_active=True).first()
            if user is None:
                raise CommandError(f"--user: no active user {options['user']}")
        out = Path(options["out"])
        try:
            content = annual.annual_report(code, options["year"], options["language"], user=user)
        except PolicyDenied as error:
            raise CommandError(f"refused: {error}") from None
        if out.suffix.lower() == ".html":
            out.write_text(annual.render_html(content), encoding="utf-8")
        else:
            out.write_bytes(annual.render_pdf(content))
        self.stdout.write(f"wrote {out} ({'internal' if user else 'public'} edition; sections: "
                          f"{', '.join(content.sections)})")

    def seed_figures(self, first_year: int, last_year: int, jurisdiction: str | None):
        """Three columns: the node's records, the shipped published figures, the paper's."""
        if jurisdiction and jurisdiction not in reference.CODES:
            raise CommandError("--jurisdiction: one of AL, BA, XK, ME, MK, RS")
        if first_year > last_year:
            raise CommandError("--from must not be after --to")
        figures = seed_figures(first_year, last_year, jurisdiction)
        self.stdout.write(format_report(figures, published_figures(first_year, last_year,
                                                                   jurisdiction)))

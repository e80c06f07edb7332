"""The annual report of the national coordinator / rapporteur: its content, gathered through
the policy, and its HTML and PDF.

Who reads decides what is in it. Without a user (the operator's `crossroads report annual`),
only what is publishable: the approved (released) statistics tables, the figures published
by the sources shipped in data/jurisdictions.yaml, and the content of the year's CLOSED review
cycle. With a user (`--user`, or the page's download as the logged-in coordinator), what the
policy lets that user see: their jurisdiction's cycle of the year whatever its state, and the
live criminal-justice tables under disclosure control (statistics.criminal_justice)."""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crossroads.access.actions import VIEW
from crossroads.access.choices import JURISDICTION_NAMES
from crossroads.access.policy import may, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.statistics.choices import ReleaseKind, ReleaseStatus
from crossroads.statistics.models import Release
from crossroads.statistics.releases import TABLES, release_dir

from . import queries, reference
from .choices import CycleStatus, Pillar, Status
from .models import ReviewCycle
from .rules import MANAGE_REVIEWS

SECTIONS = ("statistics", "justice", "assessment", "recommendations", "consultation",
            "training", "agreements", "funding", "sources")
PUBLISHED_MEASURES = ("victims_identified", "investigations", "prosecutions", "convictions")


@dataclass
class Figure:
    label: str
    value: object
    source: str
    date: str
    note: str = ""


@dataclass
class ReleasedTable:
    name: str
    row_var: str
    columns: list
    rows: list          # (value, [cells or None], total)
    source: str
    date: str


@dataclass
class AnnualReport:
    jurisdiction: str
    year: int
    language: str
    internal: bool
    made_at: datetime.datetime
    cycle: ReviewCycle | None = None
    released: list = field(default_factory=list)
    threshold: int | None = None
    published: list = field(default_factory=list)
    justice: list = field(default_factory=list)     # statistics Tables (internal view only)
    justice_date: str = ""
    assessments: list = field(default_factory=list)
    by_pillar: list = field(default_factory=list)
    differences: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    consultation: object = None
    tip_tiers: list = field(default_factory=list)
    training: object = None
    agreements: object = None
    funding: object = None
    sections: tuple = SECTIONS

    @property
    def jurisdiction_name(self) -> str:
        return str(JURISDICTION_NAMES.get(self.jurisdiction, self.jurisdiction))


def _released(jurisdiction: str, year: int, report: AnnualReport) -> None:
    """The latest approved tables release of the jurisdiction: its rows for the year."""
    release = (Release.objects.filter(jurisdiction_id=jurisdiction, kind=ReleaseKind.TABLES,
                                      status=ReleaseStatus.APPROVED)
               .exclude(folder="").order_by("-decided_at", "-id").first())
    if release is None:
        return
    folder = Path(release_dir()) / release.folder
    made = str(release.manifest.get("made_at", ""))[:10]
    decided = release.decided_at.date().isoformat() if release.decided_at else made
    source = _("Release %(version)s of %(jurisdiction)s, approved %(date)s") % {
        "version": Path(release.folder).name, "jurisdiction": jurisdiction, "date": decided}
    report.threshold = release.manifest.get("threshold") or release.threshold
    for name, (row_var, _col_var) in TABLES.items():
        path = folder / f"{name}.csv"
        if not path.is_file():
            continue
        with open(path, newline="", encoding="utf-8") as handle:
            header, *lines = list(csv.reader(handle))
        body = lines[:-1]
        if row_var == "year":
            body = [line for line in body if line[0] == str(year)]
        rows = [(line[0], [int(c) if c else None for c in line[1:-1]], line[-1]) for line in body]
        if rows:
            report.released.append(ReleasedTable(name, row_var, header[1:-1], rows, source,
                                                 decided))


def _published(jurisdiction: str, year: int, report: AnnualReport) -> None:
    """The figures published by others (US TIP report), as shipped, with their sources."""
    entry = reference.jurisdictions().get(reference.CODES.get(jurisdiction, ""), {}) or {}
    labels = {"victims_identified": _("Victims identified"),
              "investigations": _("Investigations"), "prosecutions": _("Prosecutions"),
              "convictions": _("Convictions")}
    for measure in PUBLISHED_MEASURES:
        for item in entry.get(measure) or []:
            if item.get("reference_year") in (year, year - 1):
                report.published.append(Figure(
                    f"{labels[measure]} ({item['reference_year']})", item.get("total"),
                    item.get("source", ""), str(item.get("reported_in", "")),
                    str(item.get("counting", ""))))
    report.tip_tiers = [t for t in entry.get("tip_tiers") or []
                        if year - 2 <= t.get("report_year", 0) <= year + 1]


def _justice(user, year: int, report: AnnualReport) -> None:
    from crossroads.statistics.criminal_justice import justice_tables

    if user is None or not may(user, "view_statistics"):
        return
    _years, report.justice = justice_tables(user, {"year_from": year, "year_to": year},
                                            via="annual report")
    report.justice_date = timezone.localdate().isoformat()


def _cycle(jurisdiction: str, year: int, user) -> ReviewCycle | None:
    if user is None:
        found = ReviewCycle.objects.filter(status=CycleStatus.CLOSED)
    else:
        found = restrict(ReviewCycle.objects.all(), user, VIEW)
    return found.filter(jurisdiction_id=jurisdiction, year=year).select_related(
        "previous").first()


def _assessment(report: AnnualReport, user) -> None:
    cycle = report.cycle
    if cycle is None:
        return
    report.assessments = list(queries.assessments(cycle))
    counts = {}
    for item in report.assessments:
        counts.setdefault(item.obligation.pillar, {}).setdefault(item.status, 0)
        counts[item.obligation.pillar][item.status] += 1
    report.by_pillar = [(Pillar(p).label, [counts.get(p, {}).get(s, 0) for s in Status.values])
                        for p in Pillar.values]
    report.differences = queries.differences(cycle)
    report.follow_ups = list(queries.follow_ups(cycle))
    comments = (queries.published_comments(cycle) if user is None or
                cycle.status == CycleStatus.CLOSED and not may(user, MANAGE_REVIEWS)
                else queries.comments(user, cycle))
    report.comments = list(comments)
    report.consultation = queries.consultation_counts(report.comments)


def annual_report(jurisdiction: str, year: int, language: str, user=None) -> AnnualReport:
    """The content of the report, in `language`, for `user` (None: the publishable report)."""
    jurisdiction = jurisdiction.upper()
    if user is not None and user.jurisdiction_id != jurisdiction:
        from crossroads.access.policy import PolicyDenied

        raise PolicyDenied("a user's internal view is of their own jurisdiction")
    with translation.override(language):
        report = AnnualReport(jurisdiction, year, language, user is not None, timezone.now())
        report.cycle = _cycle(jurisdiction, year, user)
        _released(jurisdiction, year, report)
        _published(jurisdiction, year, report)
        _justice(user, year, report)
        _assessment(report, user)
        report.training = queries.training_year(jurisdiction, year, user)
        report.agreements = queries.agreements_year(jurisdiction, year, user)
        report.funding = queries.funding_year(jurisdiction, year, user)
    record(user, Action.EXPORT, object_type="monitor.annualreport",
           object_id=f"{jurisdiction}-{year}", jurisdiction=jurisdiction,
           details={"language": language, "internal": user is not None,
                    "cycle": report.cycle.pk if report.cycle else None})
    return report


def render_html(report: AnnualReport) -> str:
    with translation.override(report.language):
        return render_to_string("monitor/annual_report.html", {
            "report": report, "statuses": Status.choices, "lang": report.language})


def render_pdf(report: AnnualReport) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(report)).write_pdf()

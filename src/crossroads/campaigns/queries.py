"""Reads of the campaign register and each campaign's report: reports from the public and
identified victims per month in the campaign's areas and in the jurisdiction's areas without
a campaign, before, during and after it, released through the statistics app's small-cell
suppression, with the interrupted time series of `its` (docs/campaigns.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import COUNT, VIEW
from crossroads.access.policy import get_visible_or_404, require_capability, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import ExploitationRecord
from crossroads.statistics.aggregates import VICTIM, Table, build_table, threshold
from crossroads.tips import places
from crossroads.tips.models import Report

from . import its
from .choices import Phase
from .models import Campaign
from .rules import KEEP_CAMPAIGNS

MONTHS_BEFORE = 12   # the window of a report: a year before the start,
MONTHS_AFTER = 6     # the campaign itself and half a year after its end
CAMPAIGN, CONTROLS = "campaign", "controls"


def register(user, *, year: int | None = None):
    """The campaigns of the user's register, the latest first."""
    require_capability(user, KEEP_CAMPAIGNS)
    campaigns = restrict(Campaign.objects, user, VIEW)
    if year:
        campaigns = campaigns.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    return campaigns


def visible_campaign(user, campaign_id: int) -> Campaign:
    require_capability(user, KEEP_CAMPAIGNS)
    return get_visible_or_404(Campaign.objects, user, pk=campaign_id)


# ------------------------------------------------------------------------------ months

def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


# ------------------------------------------------------------------------------ report

@dataclass
class Analysis:
    """The interrupted time series of one measure, or why there is none."""
    campaign: its.Fit | None = None
    controls: its.Fit | None = None
    difference: its.Fit | None = None
    reason: str = ""

    @property
    def rows(self) -> list[tuple[str, list]]:
        """(what, [estimate per group]) for the template."""
        fits = [self.campaign, self.controls, self.difference]
        return [(_("Change of level at the start (per area and month)"),
                 [f.level_change if f else None for f in fits]),
                (_("Change of slope from the start (per area and month, each month)"),
                 [f.slope_change if f else None for f in fits])]


@dataclass
class Measure:
    name: str
    title: str
    phases: Table
    months: Table
    analysis: Analysis

    @property
    def chart(self) -> dict:
        return {**self.months.as_dict(), "kind": "line"}


@dataclass
class CampaignReport:
    campaign: Campaign
    first_month: datetime.date
    last_month: datetime.date
    control_areas: list[str]
    measures: list[Measure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _phase(month: datetime.date, start: datetime.date, end: datetime.date) -> str:
    if month < start:
        return Phase.BEFORE
    return Phase.DURING if month <= end else Phase.AFTER


def _tip_counts(user, jurisdiction: str, first: datetime.date, last: datetime.date) -> dict:
    rows = (restrict(Report.objects, user, COUNT)
            .filter(jurisdiction_id=jurisdiction, received_at__date__gte=first,
                    received_at__date__lt=add_months(last, 1))
            .annotate(month=TruncMonth("received_at")).values("municipality", "month")
            .annotate(n=Count("id")).order_by())
    return {(r["municipality"], _as_date(r["month"])): r["n"] for r in rows}


def _identification_counts(user, jurisdiction: str, first: datetime.date,
                           last: datetime.date) -> dict:
    """Victims identified per municipality of exploitation and month: a victim counts in the
    month their case was opened (once per municipality and month, a merged duplicate as its
    survivor)."""
    rows = (restrict(ExploitationRecord.objects, user, COUNT)
            .filter(case__jurisdiction_id=jurisdiction, case__opened_on__gte=first,
                    case__opened_on__lt=add_months(last, 1))
            .annotate(month=TruncMonth("case__opened_on"))
            .values("municipality_of_exploitation", "month")
            .annotate(n=Count(VICTIM, distinct=True)).order_by())
    return {(r["municipality_of_exploitation"].strip(), _as_date(r["month"])): r["n"]
            for r in rows}


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _control_areas(user, campaign: Campaign, first, last) -> list[str]:
    """The jurisdiction's listed municipalities where no campaign of the register ran at any
    time of the window."""
    busy = set()
    overlapping = restrict(Campaign.objects, user, VIEW).filter(
        jurisdiction_id=campaign.jurisdiction_id, starts_on__lt=add_months(last, 1),
        ends_on__gte=first)
    for other in overlapping:
        busy.update(other.areas)
    return [name for name in places.municipalities().get(campaign.jurisdiction_id, ())
            if name not in busy]


def _measure(name, title, counts, campaign, controls, months, start, end) -> Measure:
    treated = list(campaign.areas)
    phases = {}
    monthly = {}
    for (area, month), n in counts.items():
        group = CAMPAIGN if area in treated else CONTROLS if area in controls else None
        if group is None or month not in months:
            continue
        row = area if group == CAMPAIGN else CONTROLS
        phase = _phase(month, start, end)
        phases[(row, phase)] = phases.get((row, phase), 0) + n
        monthly[(group, month)] = monthly.get((group, month), 0) + n
    area_rows = [(area, area) for area in treated]
    area_rows.append((CONTROLS, _("Areas without a campaign (%(count)s)") % {"count": len(controls)}))
    phase_table = build_table(f"{name}_phases", title, _("Area"), area_rows, list(Phase.choices),
                              phases)
    month_table = build_table(
        f"{name}_months", _("%(measure)s per month") % {"measure": title}, _("Areas"),
        [(CAMPAIGN, _("Campaign areas")), (CONTROLS, _("Areas without a campaign"))],
        [(m, _month_label(m)) for m in months], monthly)
    return Measure(name, title, phase_table, month_table,
                   _analysis(monthly, months, start, len(treated), len(controls)))


def _analysis(monthly, months, start, n_treated, n_controls) -> Analysis:
    index = months.index(start) if start in months else len(months)
    treated = [monthly.get((CAMPAIGN, m), 0) for m in months]
    control = [monthly.get((CONTROLS, m), 0) for m in months]
    if index < its.MIN_BEFORE or len(months) - index < its.MIN_AFTER:
        return Analysis(reason=_("Too few months for a time series: at least %(before)s "
                                 "before the start and %(after)s from it are needed.")
                        % {"before": its.MIN_BEFORE, "after": its.MIN_AFTER})
    if not n_controls:
        return Analysis(reason=_("Every area of the jurisdiction had a campaign in these "
                                 "months: there is nothing to compare with."))
    small = threshold()
    if min(sum(treated), sum(control)) < small:
        # Estimates from a handful of events would say more about them than about a trend.
        return Analysis(reason=_("Fewer than %(n)s events in the campaign areas or in the "
                                 "areas without one: no estimate is published.") % {"n": small})
    mean_treated = its.per_area(treated, n_treated)
    mean_control = its.per_area(control, n_controls)
    return Analysis(campaign=its.fit(mean_treated, index),
                    controls=its.fit(mean_control, index),
                    difference=its.fit(its.difference(mean_treated, mean_control), index))


def campaign_report(user, campaign_id: int, *, context: str,
                    today: datetime.date | None = None) -> CampaignReport:
    """The report of one campaign, every table suppressed; the read is audited."""
    campaign = visible_campaign(user, campaign_id)
    today = today or timezone.localdate()
    start, end = month_of(campaign.starts_on), month_of(campaign.ends_on)
    first = add_months(start, -MONTHS_BEFORE)
    last = min(add_months(end, MONTHS_AFTER), add_months(month_of(today), -1))
    months = months_between(first, last)
    controls = _control_areas(user, campaign, first, last)
    report = CampaignReport(campaign, first, last, controls)
    if month_of(today) <= start:
        report.notes.append(_("The campaign has not started yet (or started this month): the "
                              "report fills in as the months end."))
    report.notes.append(_("The current month is left out until it has ended."))
    jurisdiction = campaign.jurisdiction_id
    report.measures = [
        _measure("tips", _("Reports from the public"),
                 _tip_counts(user, jurisdiction, first, last) if months else {},
                 campaign, controls, months, start, end),
        _measure("identifications", _("Victims identified"),
                 _identification_counts(user, jurisdiction, first, last) if months else {},
                 campaign, controls, months, start, end),
    ]
    record(user, Action.VIEW_STATISTICS, campaign, details={"via": context})
    return report

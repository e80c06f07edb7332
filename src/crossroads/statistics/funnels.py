"""From identification to trial: victims whose case reached each stage, by year of
registration, derived from the cases' status history (a case counts at a stage when it was
ever moved there, or to a later stage, even if it was closed or reopened since).

The registry records no verdict, so the funnel stops at trial: convictions cannot be counted
from the node's data and are not shown.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from crossroads.registry.models import CaseStatusChange
from crossroads.registry.vocabularies import CaseStatus

from .aggregates import VICTIM, Table, Years, build_table

# stage -> the statuses that show a case reached it
STAGES = {
    "identified": None,
    "investigation": [CaseStatus.INVESTIGATION, CaseStatus.PROSECUTION, CaseStatus.TRIAL],
    "prosecution": [CaseStatus.PROSECUTION, CaseStatus.TRIAL],
    "trial": [CaseStatus.TRIAL],
}


def _labels() -> dict:
    return {"identified": _("Identified victims"),
            "investigation": _("Case under investigation"),
            "prosecution": _("Case in prosecution"),
            "trial": _("Case at trial")}


def stage_counts(records) -> dict:
    """Victims per (stage, year) over `records` (already narrowed to years)."""
    def reached(statuses):
        cases = CaseStatusChange.objects.filter(to_status__in=statuses).values("case_id")
        return Count(VICTIM, distinct=True, filter=Q(case_id__in=cases))

    annotations = {stage: Count(VICTIM, distinct=True) if statuses is None else reached(statuses)
                   for stage, statuses in STAGES.items()}
    rows = records.values(year=F("year_of_registration")).annotate(**annotations).order_by()
    return {(stage, r["year"]): r[stage] for r in rows for stage in STAGES}


def funnel_table(years: Years, counts: dict) -> Table:
    labels = _labels()
    return build_table(
        "funnel", _("From identification to trial"), _("Stage"),
        [(stage, labels[stage]) for stage in STAGES], [(y, str(y)) for y in years.columns],
        counts, column_totals=False,
        notes=[_("Each stage counts the victims of the earlier one whose case went further; "
                 "the stages are nested, so the columns have no total."),
               _("Convictions are not shown: the registry records no verdict.")])

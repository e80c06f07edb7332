"""From identification to conviction: victims whose case reached each stage, by year of
registration, derived from the cases' status history (a case counts at a stage when it was
ever moved there, or to a later stage, even if it was closed or reopened since; at conviction
when it closed from trial with a conviction).
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from crossroads.registry.choices import CaseStatus, TrialOutcome
from crossroads.registry.models import CaseStatusChange

from .aggregates import VICTIM, Table, Years, build_table

# stage -> the status changes that show a case reached it
STAGES = {
    "identified": None,
    "investigation": Q(to_status__in=[CaseStatus.INVESTIGATION, CaseStatus.PROSECUTION,
                                      CaseStatus.TRIAL]),
    "prosecution": Q(to_status__in=[CaseStatus.PROSECUTION, CaseStatus.TRIAL]),
    "trial": Q(to_status=CaseStatus.TRIAL),
    "conviction": Q(outcome=TrialOutcome.CONVICTION),
}


def _labels() -> dict:
    return {"identified": _("Identified victims"),
            "investigation": _("Case under investigation"),
            "prosecution": _("Case in prosecution"),
            "trial": _("Case at trial"),
            "conviction": _("Case ended in a conviction")}


def stage_counts(records) -> dict:
    """Victims per (stage, year) over `records` (already narrowed to years)."""
    def reached(changes: Q):
        cases = CaseStatusChange.objects.filter(changes).values("case_id")
        return Count(VICTIM, distinct=True, filter=Q(case_id__in=cases))

    annotations = {stage: Count(VICTIM, distinct=True) if changes is None else reached(changes)
                   for stage, changes in STAGES.items()}
    rows = records.values(year=F("year_of_registration")).annotate(**annotations).order_by()
    return {(stage, r["year"]): r[stage] for r in rows for stage in STAGES}


def funnel_table(years: Years, counts: dict, *, suppress: bool = True) -> Table:
    labels = _labels()
    return build_table(
        "funnel", _("From identification to conviction"), _("Stage"),
        [(stage, labels[stage]) for stage in STAGES], years.labelled,
        counts, column_totals=False, suppress=suppress,
        notes=[_("Each stage counts the victims of the earlier one whose case went further; "
                 "the stages are nested, so the columns have no total."),
               _("A conviction is counted when the case closed from trial with a conviction "
                 "recorded as the outcome.")])

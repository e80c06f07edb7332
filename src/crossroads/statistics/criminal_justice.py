"""Criminal-justice statistics: investigations, prosecutions, convictions and sentence lengths
per year, counted per suspect (a person once per stage and year, however many charges, as
GRETA and the US TIP report count them), and the attrition from identified victim to final
conviction. Counted in the database over the proceedings the policy lets the user COUNT
(coordinators: their jurisdiction, never H3 cases), suppressed like every released table."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from crossroads.access.policy import COUNT, require_capability, restrict
from crossroads.investigations.choices import Verdict
from crossroads.investigations.models import Proceeding

from .aggregates import (
    VICTIM,
    Table,
    Years,
    audit_read,
    build_table,
    default_years,
    in_years,
    parse_years,
    records_for,
)

# stage -> the date that puts a suspect in a year, and the proceedings that count there
SUSPECT_STAGES = {
    "investigated": ("investigation_opened_on", Q()),
    "prosecuted": ("indicted_on", Q(indicted_on__isnull=False)),
    "convicted": ("verdict_on", Q(verdict_on__isnull=False, verdict=Verdict.CONVICTED)),
    "final_conviction": ("final_on", Q(final_on__isnull=False, verdict=Verdict.CONVICTED)),
}
# sentence bands (months of custody; suspended and fine-only apart)
BANDS = [("suspended", None, None), ("fine_only", None, None), ("under_12", 1, 11),
         ("12_35", 12, 35), ("36_59", 36, 59), ("60_119", 60, 119), ("120_plus", 120, None)]
# the funnel: victims (by year of registration) whose case reached each stage
FUNNEL = {
    "identified": None,
    "investigation": Q(),
    "indictment": Q(indicted_on__isnull=False),
    "conviction": Q(verdict_on__isnull=False, verdict=Verdict.CONVICTED),
    "final_conviction": Q(final_on__isnull=False, verdict=Verdict.CONVICTED),
}


def counted(user):
    require_capability(user, "view_statistics")
    return restrict(Proceeding.objects.all(), user, COUNT)


def _labels() -> dict:
    return {"investigated": _("Suspects investigated"), "prosecuted": _("Suspects prosecuted"),
            "convicted": _("Suspects convicted (first instance)"),
            "final_conviction": _("Suspects finally convicted"),
            "suspended": _("Suspended sentence"), "fine_only": _("Fine only"),
            "under_12": _("Under 12 months"), "12_35": _("12–35 months"),
            "36_59": _("36–59 months"), "60_119": _("60–119 months"),
            "120_plus": _("120 months or more"),
            "identified": _("Identified victims"),
            "investigation": _("Suspect investigated"), "indictment": _("Suspect indicted"),
            "conviction": _("Suspect convicted"),
            "final_conviction_victims": _("Suspect finally convicted")}


def suspect_counts(proceedings, years: Years) -> dict:
    counts = {}
    for stage, (date, condition) in SUSPECT_STAGES.items():
        rows = (proceedings.filter(condition).annotate(year=ExtractYear(date))
                .filter(year__gte=years.first, year__lte=years.last)
                .values("year").annotate(n=Count("person_id", distinct=True)).order_by())
        counts.update({(stage, r["year"]): r["n"] for r in rows})
    return counts


def band(custodial_months, suspended: bool, fine) -> str | None:
    if suspended:
        return "suspended"
    if not custodial_months:
        return "fine_only" if fine else None
    for code, low, high in BANDS[2:]:
        if custodial_months >= low and (high is None or custodial_months <= high):
            return code
    return None


def sentence_counts(proceedings, years: Years) -> dict:
    """Convicted suspects per sentence band and year of sentencing: a suspect sentenced on
    several charges in a year counts once, in the band of their longest custody."""
    rows = (proceedings.filter(sentenced_on__isnull=False, verdict=Verdict.CONVICTED)
            .annotate(year=ExtractYear("sentenced_on"))
            .filter(year__gte=years.first, year__lte=years.last)
            .values_list("person_id", "year", "custodial_months", "suspended", "fine_eur"))
    longest: dict = {}
    for person, year, months, suspended, fine in rows:
        key = (person, year)
        rank = (months or 0, not suspended, fine or 0)
        if key not in longest or rank > longest[key][0]:
            longest[key] = (rank, band(months, suspended, fine))
    counts: dict = {}
    for (_person, year), (_rank, code) in longest.items():
        if code:
            counts[(code, year)] = counts.get((code, year), 0) + 1
    return counts


def funnel_counts(records, proceedings) -> dict:
    annotations = {}
    for stage, condition in FUNNEL.items():
        if condition is None:
            annotations[stage] = Count(VICTIM, distinct=True)
        else:
            cases = proceedings.filter(condition).values("case_id")
            annotations[stage] = Count(VICTIM, distinct=True, filter=Q(case_id__in=cases))
    rows = records.values(year=F("year_of_registration")).annotate(**annotations).order_by()
    return {(stage, r["year"]): r[stage] for r in rows for stage in FUNNEL}


def justice_tables(user, params: Mapping, *, via: str) -> tuple[Years, list[Table]]:
    """The three tables, suppressed, and their years; audited as one aggregated read."""
    proceedings = counted(user)
    years = parse_years(params, default_years(user))
    labels = _labels()
    columns = [(y, str(y)) for y in years.columns]
    funnel_rows = [(s, labels["final_conviction_victims" if s == "final_conviction" else s])
                   for s in FUNNEL]
    tables = [
        build_table("justice_suspects", _("Suspects by stage of the proceedings"), _("Stage"),
                    [(s, labels[s]) for s in SUSPECT_STAGES], columns,
                    suspect_counts(proceedings, years), column_totals=False,
                    notes=[_("A suspect counts once per stage and year (the year the stage was "
                             "reached), however many charges they face.")]),
        build_table("justice_sentences", _("Convicted suspects by sentence"), _("Sentence"),
                    [(code, labels[code]) for code, _low, _high in BANDS], columns,
                    sentence_counts(proceedings, years),
                    notes=[_("A suspect sentenced on several charges in a year counts once, by "
                             "the longest custodial sentence.")]),
        build_table("justice_funnel", _("From identified victim to final conviction"),
                    _("Stage"), funnel_rows, columns,
                    funnel_counts(in_years(records_for(user), years), proceedings),
                    column_totals=False,
                    notes=[_("Victims by year of registration whose case has a suspect who "
                             "reached the stage; the stages are nested.")]),
    ]
    audit_read(user, "criminal justice", years.as_query(), tables, via=via)
    return years, tables

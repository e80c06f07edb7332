"""Criminal-justice statistics: investigations, prosecutions, convictions and sentence lengths
per year, counted per suspect (a person once per stage and year, however many charges, as
GRETA and the US TIP report count them), and the attrition from identified victim to final
conviction, and the markers of the suspects investigated (public official, organised-crime
group, internal or cross-border trafficking). Counted over the proceedings the policy lets the
user COUNT (coordinators: their jurisdiction, never H3 cases), suppressed like every released
table."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from crossroads.access.policy import COUNT, require_capability, restrict
from crossroads.investigations import markers
from crossroads.investigations.choices import TraffickingScope, Verdict
from crossroads.investigations.models import Proceeding, SuspectMarker
from crossroads.registry.choices import RESTRICTED_HANDLING
from crossroads.registry.models import ExploitationRecord
from crossroads.registry.rules import unrestricted_records

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
from .choices import FUNNEL_LABELS, SENTENCE_LABELS, SUSPECT_STAGE_LABELS

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
    return {**{k: str(v) for k, v in SUSPECT_STAGE_LABELS.items()},
            **{k: str(v) for k, v in SENTENCE_LABELS.items()},
            **{k: str(v) for k, v in FUNNEL_LABELS.items() if k != "final_conviction"},
            "final_conviction_victims": str(FUNNEL_LABELS["final_conviction"])}


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


def longest_sentences(rows) -> dict:
    """(person, year) -> the band of the person's longest sentence of the year, from rows of
    (person, year, custodial months, suspended, fine)."""
    longest: dict = {}
    for person, year, months, suspended, fine in rows:
        key = (person, year)
        rank = (months or 0, not suspended, fine or 0)
        if key not in longest or rank > longest[key][0]:
            longest[key] = (rank, band(months, suspended, fine))
    return {key: code for key, (_rank, code) in longest.items() if code}


def sentence_counts(proceedings, years: Years) -> dict:
    """Convicted suspects per sentence band and year of sentencing: a suspect sentenced on
    several charges in a year counts once, in the band of their longest custody."""
    rows = (proceedings.filter(sentenced_on__isnull=False, verdict=Verdict.CONVICTED)
            .annotate(year=ExtractYear("sentenced_on"))
            .filter(year__gte=years.first, year__lte=years.last)
            .values_list("person_id", "year", "custodial_months", "suspended", "fine_eur"))
    counts: dict = {}
    for (_person, year), code in longest_sentences(rows).items():
        counts[(code, year)] = counts.get((code, year), 0) + 1
    return counts


TABLE_NAMES = ("justice_suspects", "justice_sentences", "justice_funnel", "justice_markers")
MARKERS = {"public_official": _("Public official (corruption link)"),
           "crime_group": _("Organised-crime group"),
           TraffickingScope.CROSS_BORDER: TraffickingScope.CROSS_BORDER.label,
           TraffickingScope.INTERNAL: TraffickingScope.INTERNAL.label}


def marker_counts(proceedings, years: Years) -> dict:
    """Investigated suspects per marker and year the investigation opened: a public official,
    a member of a named organised-crime group (the suspect's markers in that case), and the
    trafficking of the case's victims, internal or cross-border (`markers.scope` of their
    exploitation records; a case with both counts in both). A suspect counts once per cell."""
    rows = set(proceedings.annotate(year=ExtractYear("investigation_opened_on"))
               .filter(year__gte=years.first, year__lte=years.last)
               .values_list("person_id", "case_id", "year"))
    cases = {case for _person, case, _year in rows}
    flags = {(m.involvement.person_id, m.involvement.case_id): m for m in SuspectMarker.objects
             .filter(involvement__case_id__in=cases).select_related("involvement")}
    scopes: dict = {}
    for record in ExploitationRecord.objects.filter(case_id__in=cases).only(
            "case_id", "citizenship", "country_of_recruitment", "country_of_exploitation",
            "countries_of_transit"):
        scopes.setdefault(record.case_id, set()).add(markers.scope(record))
    seen = set()
    for person, case, year in rows:
        marker = flags.get((person, case))
        found = {code for code in (TraffickingScope.CROSS_BORDER, TraffickingScope.INTERNAL)
                 if code in scopes.get(case, ())}
        if marker is not None and marker.public_official:
            found.add("public_official")
        if marker is not None and marker.group_id:
            found.add("crime_group")
        seen.update((code, year, person) for code in found)
    counts: dict = {}
    for code, year, _person in seen:
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


def justice_tables(user, params: Mapping, *, via: str,
                   export: bool = False) -> tuple[Years, list[Table]]:
    """The four tables, suppressed, and their years; audited as one aggregated read."""
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
        build_table("justice_markers", _("Investigated suspects by marker"), _("Marker"),
                    [(code, str(label)) for code, label in MARKERS.items()], columns,
                    marker_counts(proceedings, years), column_totals=False,
                    notes=[_("A suspect counts once per marker and year the investigation "
                             "opened; internal or cross-border follows from the case's victims "
                             "(citizenship and the countries of recruitment, transit and "
                             "exploitation), and a case may be both.")]),
    ]
    audit_read(user, "criminal justice", years.as_query(), tables, export=export, via=via)
    return years, tables


# ---------------------------------------------------------------------------- released tables
# The same counts as rows for a tables release (`releases.JUSTICE_TABLES`): one row per
# (value, year, person counted), so that the release counts each person once per cell and
# suppresses small cells like every released table. Acting for no user: the COUNT scope (the
# proceedings and records of unrestricted cases: H3 never leaves the node) of one jurisdiction.


def _released_proceedings(jurisdiction: str | None):
    proceedings = Proceeding.objects.exclude(case__handling_code__in=RESTRICTED_HANDLING)
    if jurisdiction:
        proceedings = proceedings.filter(case__jurisdiction_id=jurisdiction)
    return proceedings


def _reached(row: dict) -> dict[str, object]:
    """The suspect stages a proceeding reached, with their dates."""
    convicted = row["verdict"] == Verdict.CONVICTED
    return {"investigated": row["investigation_opened_on"], "prosecuted": row["indicted_on"],
            "convicted": row["verdict_on"] if convicted else None,
            "final_conviction": row["final_on"] if convicted else None}


def justice_rows(jurisdiction: str | None = None) -> dict[str, list[dict]]:
    """Rows of the three criminal-justice tables, keyed by table name: `stage` (or `sentence`)
    by `justice_year` per suspect, and `justice_stage` by `year` of registration per victim.
    The person counted (`VICTIM`, the survivor of a merge) is never written to a file."""
    from .releases import VICTIM as PERSON  # releases import this module

    proceedings = list(_released_proceedings(jurisdiction).values(
        "case_id", "person_id", "person__merged_into_id", "verdict", "investigation_opened_on",
        "indicted_on", "verdict_on", "final_on", "sentenced_on", "custodial_months",
        "suspended", "fine_eur"))
    stages, sentenced, case_stages = [], [], {}
    for row in proceedings:
        person = row["person__merged_into_id"] or row["person_id"]
        reached = _reached(row)
        for stage, on in reached.items():
            if on is not None:
                stages.append({"stage": stage, "justice_year": str(on.year), PERSON: person})
        funnel = case_stages.setdefault(row["case_id"], {"identified", "investigation"})
        funnel.update(name for name, stage in (("indictment", "prosecuted"),
                                               ("conviction", "convicted"),
                                               ("final_conviction", "final_conviction"))
                      if reached[stage] is not None)
        if row["sentenced_on"] is not None and row["verdict"] == Verdict.CONVICTED:
            sentenced.append((person, row["sentenced_on"].year, row["custodial_months"],
                              row["suspended"], row["fine_eur"]))
    sentences = [{"sentence": code, "justice_year": str(year), PERSON: person}
                 for (person, year), code in longest_sentences(sentenced).items()]
    records = unrestricted_records()
    if jurisdiction:
        records = records.filter(case__jurisdiction_id=jurisdiction)
    funnel = []
    for case_id, year, person, merged in records.values_list(
            "case_id", "year_of_registration", "person_id", "person__merged_into_id").iterator(
            chunk_size=2000):
        for stage in case_stages.get(case_id, {"identified"}):
            funnel.append({"justice_stage": stage, "year": str(year), PERSON: merged or person})
    return {"suspects_by_stage_and_year": stages, "suspects_by_sentence_and_year": sentences,
            "victims_by_justice_stage_and_year": funnel}

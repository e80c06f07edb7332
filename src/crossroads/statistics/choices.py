"""The statistics app's vocabularies: kinds and states of releases and budget changes, the CTDC
layouts, and the one set of labels of the released tables, their variables and values (the
releases pages and the hub's regional dashboard both name them from here)."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from crossroads import countries
from crossroads.registry.choices import AgeBand, ExploitationForm, Sex


class CtdcLayout(models.TextChoices):
    GLOBAL = "global", "global k-anonymised"
    SYNTHETIC = "synthetic", "2024 synthetic"
    VICTIM_PERPETRATOR = "vp", "victim-perpetrator synthetic"


class ReleaseKind(models.TextChoices):
    TABLES = "tables", _("Tables")
    MICRODATA = "microdata", _("Microdata")
    SYNTHETIC = "synthetic", _("Synthetic microdata")


class ReleaseStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    PREPARED = "prepared", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class BudgetChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# The released tables (`releases.TABLES`) and the variables of tables and microdata.
TABLE_LABELS = {
    "victims_by_year_and_form": _("Victims by year and form of exploitation"),
    "victims_by_year_and_sex": _("Victims by year and sex"),
    "victims_by_age_band_and_form": _("Victims by age at exploitation and form"),
    "victims_by_citizenship_and_year": _("Victims by citizenship and year"),
    # the criminal-justice tables (`releases.JUSTICE_TABLES`, counted by `criminal_justice`)
    "suspects_by_stage_and_year": _("Suspects by stage of the proceedings and year"),
    "suspects_by_sentence_and_year": _("Convicted suspects by sentence and year"),
    "victims_by_justice_stage_and_year": _(
        "Victims by the furthest stage their case's proceedings reached, by year of "
        "registration"),
}
# How each criminal-justice table counts, shown with it on the releases and regional pages.
TABLE_NOTES = {
    "suspects_by_stage_and_year": _(
        "A suspect counts once per stage and year (the year the stage was reached), however "
        "many charges they face."),
    "suspects_by_sentence_and_year": _(
        "A suspect sentenced on several charges in a year counts once, by the longest "
        "custodial sentence."),
    "victims_by_justice_stage_and_year": _(
        "Victims by year of registration whose case has a suspect who reached the stage; the "
        "stages are nested."),
}
# The stages a suspect is counted at, the sentence bands and the stages of the attrition
# funnel, in their order (the rows of the criminal-justice tables: a public domain, fixed here).
SUSPECT_STAGE_LABELS = {
    "investigated": _("Suspects investigated"), "prosecuted": _("Suspects prosecuted"),
    "convicted": _("Suspects convicted (first instance)"),
    "final_conviction": _("Suspects finally convicted"),
}
SENTENCE_LABELS = {
    "suspended": _("Suspended sentence"), "fine_only": _("Fine only"),
    "under_12": _("Under 12 months"), "12_35": _("12–35 months"), "36_59": _("36–59 months"),
    "60_119": _("60–119 months"), "120_plus": _("120 months or more"),
}
FUNNEL_LABELS = {
    "identified": _("Identified victims"), "investigation": _("Suspect investigated"),
    "indictment": _("Suspect indicted"), "conviction": _("Suspect convicted"),
    "final_conviction": _("Suspect finally convicted"),
}
COLUMN_LABELS = {
    "year": _("Year of registration"), "sex": _("Sex"), "age_band": _("Age at exploitation"),
    "citizenship": _("Citizenship"), "country_of_exploitation": _("Country of exploitation"),
    "form": _("Form of exploitation"),
    "stage": _("Stage of the proceedings"), "sentence": _("Sentence"),
    "justice_stage": _("Stage reached by the case's proceedings"),
    "justice_year": _("Year the stage was reached"),
    # a record-level release's one 0/1 column per form (releases.FORM_INDICATORS)
    **{f"form_{code}": format_lazy("{}: {}", _("Form of exploitation"), label)
       for code, label in ExploitationForm.choices},
}
_VALUES = {"form": dict(ExploitationForm.choices), "sex": dict(Sex.choices),
           "age_band": dict(AgeBand.choices), "stage": SUSPECT_STAGE_LABELS,
           "sentence": SENTENCE_LABELS, "justice_stage": FUNNEL_LABELS,
           **{f"form_{code}": {"0": _("No"), "1": _("Yes")} for code in ExploitationForm.values}}
# Variables whose values have an order of their own (stages, bands), not the alphabet's.
ORDERED_VALUES = {"stage": list(SUSPECT_STAGE_LABELS), "sentence": list(SENTENCE_LABELS),
                  "justice_stage": list(FUNNEL_LABELS)}
COUNTRY_VARIABLES = {"citizenship", "country_of_exploitation"}  # values named by crossroads.countries


def in_order(variable: str, values) -> list[str]:
    """`values` of `variable` in the variable's own order (stages, bands), else sorted."""
    order = ORDERED_VALUES.get(variable)
    if order is None:
        return sorted(values)
    return sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v))


def value_label(variable: str, value: str) -> str:
    """How a released table names one value of `variable` (a country in the reader's language)."""
    if value == "Unknown":
        return _("Unknown")
    if variable in COUNTRY_VARIABLES:
        return countries.name(value)
    return _VALUES.get(variable, {}).get(value, value)

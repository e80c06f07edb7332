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
}
COLUMN_LABELS = {
    "year": _("Year of registration"), "sex": _("Sex"), "age_band": _("Age at exploitation"),
    "citizenship": _("Citizenship"), "country_of_exploitation": _("Country of exploitation"),
    "form": _("Form of exploitation"),
    # a record-level release's one 0/1 column per form (releases.FORM_INDICATORS)
    **{f"form_{code}": format_lazy("{}: {}", _("Form of exploitation"), label)
       for code, label in ExploitationForm.choices},
}
_VALUES = {"form": dict(ExploitationForm.choices), "sex": dict(Sex.choices),
           "age_band": dict(AgeBand.choices),
           **{f"form_{code}": {"0": _("No"), "1": _("Yes")} for code in ExploitationForm.values}}
COUNTRY_VARIABLES = {"citizenship", "country_of_exploitation"}  # values named by crossroads.countries


def value_label(variable: str, value: str) -> str:
    """How a released table names one value of `variable` (a country in the reader's language)."""
    if value == "Unknown":
        return _("Unknown")
    if variable in COUNTRY_VARIABLES:
        return countries.name(value)
    return _VALUES.get(variable, {}).get(value, value)

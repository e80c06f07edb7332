"""How the dashboard names released tables, variables and category values."""

from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import JURISDICTION_NAMES
from crossroads.registry.choices import ExploitationForm, Sex

TABLE_LABELS = {
    "victims_by_year_and_form": _("Victims by year and form of exploitation"),
    "victims_by_year_and_sex": _("Victims by year and sex"),
    "victims_by_age_band_and_form": _("Victims by age at exploitation and form"),
    "victims_by_citizenship_and_year": _("Victims by citizenship and year"),
}
VARIABLE_LABELS = {"year": _("Year of registration"), "form": _("Form of exploitation"),
                   "sex": _("Sex"), "age_band": _("Age at exploitation"),
                   "citizenship": _("Citizenship")}
_VALUES = {"form": dict(ExploitationForm.choices), "sex": dict(Sex.choices),
           "citizenship": JURISDICTION_NAMES}


def value_label(variable: str, value: str) -> str:
    if value == "Unknown":
        return _("Unknown")
    return _VALUES.get(variable, {}).get(value, value)

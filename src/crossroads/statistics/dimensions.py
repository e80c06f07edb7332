"""The variables the dashboards break victims down by, and how each is read in the database.

A dimension is one of three kinds:

* `field`: one value per record (sex, age band, recruiter relation, countries, municipality);
* `flags`: one boolean column per value (forms of exploitation): a victim counts under each;
* `list`: a JSON list per record (means of control): a victim counts under each listed value;
* `special`: a special category of the person (vulnerable groups), encrypted at rest: read and
  counted outside the database, never kept in the maintained summary, and always through
  disclosure control (also for the readers entitled to unsuppressed internal counts); a victim
  counts under each group recorded.

Free-text or open dimensions (citizenship, countries, municipality) keep their `top` most
frequent values and gather the rest in one "other" row, so that a table stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crossroads import countries
from crossroads.registry.choices import (
    AgeBand,
    ExploitationForm,
    MeansOfControl,
    RecruiterRelation,
    Sex,
    VulnerableGroup,
)
from crossroads.registry.models import FORM_FIELDS

from .choices import COLUMN_LABELS, COUNTRY_VARIABLES

OTHER = "_other"
UNKNOWN = ""


@dataclass(frozen=True)
class Dimension:
    name: str
    label: Promise
    kind: str                      # field, flags, list, special
    source: str                    # ORM path of the field (field, list) or "" (flags)
    choices: dict | None = None    # code -> label, in display order; None: open values
    top: int | None = None         # open values: keep the most frequent ones

    def label_of(self, code) -> str:
        if code == OTHER:
            return str(_("Other values"))
        if code in (UNKNOWN, None):
            return str(_("Not recorded"))
        if self.choices and code in self.choices:
            return str(self.choices[code])
        return countries.name(code) if self.name in COUNTRY_VARIABLES else str(code)


def _choices(vocabulary) -> dict:
    return {value: label for value, label in vocabulary.choices}


DIMENSIONS = {d.name: d for d in [
    Dimension("sex", COLUMN_LABELS["sex"], "field", "person__sex", _choices(Sex)),
    Dimension("age_band", COLUMN_LABELS["age_band"], "field", "age_band",
              {**_choices(AgeBand), UNKNOWN: _("Not recorded")}),
    Dimension("minor", _("Minor at exploitation"), "field", "is_minor",
              {True: _("Minor"), False: _("Adult")}),
    Dimension("citizenship", COLUMN_LABELS["citizenship"], "field", "citizenship", top=12),
    Dimension("vulnerable_group", _("Vulnerable group"), "special", "",
              _choices(VulnerableGroup)),
    Dimension("form", COLUMN_LABELS["form"], "flags", "", _choices(ExploitationForm)),
    Dimension("means_of_control", _("Means of control"), "list", "means_of_control",
              _choices(MeansOfControl)),
    Dimension("recruiter_relation", _("Recruiter relation"), "field", "recruiter_relation",
              _choices(RecruiterRelation)),
    Dimension("country_of_exploitation", COLUMN_LABELS["country_of_exploitation"], "field",
              "country_of_exploitation", top=12),
    Dimension("municipality", _("Municipality of exploitation"), "field",
              "municipality_of_exploitation", top=15),
]}

FLAG_FIELDS = FORM_FIELDS  # form code -> boolean column
# Counted live at every reading: no database trigger follows a person's special categories.
SPECIAL = frozenset(name for name, d in DIMENSIONS.items() if d.kind == "special")

# The dashboard pages and the tables each shows.
GROUPS = {
    "victims": (_("Victims"), ["sex", "age_band", "minor", "citizenship", "vulnerable_group"]),
    "exploitation": (_("Exploitation"), ["form", "means_of_control", "recruiter_relation"]),
    "places": (_("Places"), ["country_of_exploitation", "municipality"]),
}

"""The column mapping of an import: which source column feeds which Crossroads field, how the
source's words map to the register's vocabularies, and how its dates are written.

A mapping is YAML (docs/import.md, sample `data/ngo_register_mapping.yaml`)::

    source: {system: NAME, id_column: COLUMN, delimiter: ",", list_separator: ";"}
    date_formats: ["%d.%m.%Y", "%Y-%m-%d"]
    columns: {FIELD: COLUMN, ...}
    values: {FIELD: {SOURCE WORD: CODE, ...}, ...}
    defaults: {FIELD: VALUE, ...}

`parse` checks the whole mapping and reports every mistake at once (ValidationError keyed by
its place in the YAML); `Mapping.inputs` turns one CSV row into the registry's inputs,
naming each field's errors. Values pass to the registry's services as they are: the
register's own validation (names, countries, vocabularies) decides, as for a typed form.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crossroads.registry.choices import DatePrecision, InvolvementRole
from crossroads.registry.services import CaseInput, ExploitationInput, PersonInput
from crossroads.validation import collect

# field -> (part, kind). Kinds: text, list (split on the list separator), date, year, flag.
FIELDS: dict[str, tuple[str, str]] = {
    "given_names": ("person", "text"), "family_name": ("person", "text"),
    "father_name": ("person", "text"), "sex": ("person", "text"),
    "birth_date": ("person", "date"), "place_of_birth": ("person", "text"),
    "citizenships": ("person", "list"), "aliases": ("person", "list"),
    "phones": ("person", "list"), "emails": ("person", "list"), "addresses": ("person", "list"),
    "opened_on": ("case", "date"), "summary": ("case", "text"),
    "handling_code": ("case", "text"),
    "forms": ("exploitation", "list"), "year_of_registration": ("exploitation", "year"),
    "labour_sectors": ("exploitation", "list"), "sexual_types": ("exploitation", "list"),
    "means_of_control": ("exploitation", "list"),
    "recruiter_relation": ("exploitation", "text"), "is_abduction": ("exploitation", "flag"),
    "citizenship": ("exploitation", "text"),
    "country_of_recruitment": ("exploitation", "text"),
    "countries_of_transit": ("exploitation", "list"),
    "country_of_exploitation": ("exploitation", "text"),
    "municipality_of_exploitation": ("exploitation", "text"),
    "period_start": ("exploitation", "date"), "period_end": ("exploitation", "date"),
    "role": ("import", "text"), "status": ("import", "text"),
}
REQUIRED = ("given_names", "family_name", "forms")
# The shipped sample: the register an NGO keeps in a spreadsheet (docs/import.md).
SAMPLE = Path(__file__).resolve().parent / "data" / "ngo_register_mapping.yaml"
ROLES = (InvolvementRole.VICTIM, InvolvementRole.PRESUMED_VICTIM)
TRUE = {"1", "yes", "true", "y", "x", "da", "po", "да"}
FALSE = {"0", "no", "false", "n", "", "ne", "jo", "не"}
SECTIONS = {"source", "date_formats", "columns", "values", "defaults"}


@dataclass(frozen=True)
class Mapping:
    system: str
    id_column: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    delimiter: str = ","
    list_separator: str = ";"

    def as_json(self) -> dict:
        return {"source": {"system": self.system, "id_column": self.id_column,
                           "delimiter": self.delimiter, "list_separator": self.list_separator},
                "date_formats": list(self.date_formats), "columns": self.columns,
                "values": self.values, "defaults": self.defaults}

    def missing_columns(self, header: list[str]) -> list[str]:
        """The mapped columns the file's header lacks."""
        wanted = [self.id_column, *self.columns.values()]
        return [column for column in dict.fromkeys(wanted) if column not in header]

    def source_id(self, row: dict) -> str:
        return (row.get(self.id_column) or "").strip()

    def raw(self, row: dict, name: str) -> str:
        """The field's text in the row (its column's, else the mapping's default)."""
        column = self.columns.get(name)
        text = (row.get(column) or "").strip() if column else ""
        return text or str(self.defaults.get(name, ""))

    def _word(self, name: str, text: str) -> str:
        words = self.values.get(name)
        if words is None:
            return text
        if text in words:
            return words[text]
        folded = {key.casefold(): code for key, code in words.items()}
        if text.casefold() in folded:
            return folded[text.casefold()]
        raise ValidationError({name: _("%(value)s is not in the mapping's values for %(field)s.")
                               % {"value": text, "field": name}})

    def _date(self, name: str, text: str) -> tuple[datetime.date, str]:
        """The date and its precision (a format without the day: month; without the month:
        year)."""
        for fmt in self.date_formats:
            try:
                day = datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            precision = (DatePrecision.EXACT if "%d" in fmt else
                         DatePrecision.MONTH if "%m" in fmt else DatePrecision.YEAR)
            return day, precision
        raise ValidationError({name: _("%(value)s is not a date in the mapping's formats "
                                       "(%(formats)s).") % {"value": text,
                                                           "formats": ", ".join(self.date_formats)}})

    def _value(self, name: str, text: str):
        kind = FIELDS[name][1]
        if kind == "list":
            return [self._word(name, part.strip())
                    for part in text.split(self.list_separator) if part.strip()]
        if kind == "date":
            return self._date(name, text)
        text = self._word(name, text)
        if kind == "year":
            if not (text.isdigit() and len(text) == 4):
                raise ValidationError({name: _("%(value)s is not a year.") % {"value": text}})
            return int(text)
        if kind == "flag":
            if text.casefold() not in TRUE | FALSE:
                raise ValidationError({name: _("%(value)s is neither yes nor no.") % {"value": text}})
            return text.casefold() in TRUE
        return text

    def inputs(self, row: dict) -> tuple[RowInputs, dict[str, list[str]]]:
        """The row as the registry's inputs, and the errors of the fields the mapping could
        not read, by field (those fields are left empty; the registry's checks come after,
        `rows.check`)."""
        values, errors = {}, {}
        for name in FIELDS:
            text = self.raw(row, name)
            try:
                if text:
                    values[name] = self._value(name, text)
            except ValidationError as error:
                errors.update(error.message_dict)
        role = values.get("role") or InvolvementRole.VICTIM
        if role not in ROLES:
            errors["role"] = [_("An imported person is a victim or a presumed victim.")]
            role = InvolvementRole.VICTIM
        return _as_inputs(values, role), errors


@dataclass
class RowInputs:
    person: PersonInput
    case: CaseInput
    exploitation: ExploitationInput
    role: str
    status: str


def _as_inputs(values: dict, role: str) -> RowInputs:
    def of(part: str) -> dict:
        return {name: value for name, value in values.items() if FIELDS[name][0] == part}

    person, case, exploitation = of("person"), of("case"), of("exploitation")
    birth, precision = person.pop("birth_date", (None, DatePrecision.EXACT))
    opened, _precision = case.pop("opened_on", (None, ""))
    for name in ("period_start", "period_end"):
        exploitation[name] = exploitation.get(name, (None, ""))[0]
    return RowInputs(
        person=PersonInput(**{"given_names": "", "family_name": "", **person}, birth_date=birth,
                           birth_precision=precision),
        case=CaseInput(**case, opened_on=opened),
        exploitation=ExploitationInput(**{"forms": [], **exploitation}),
        role=role, status=values.get("status", ""))


def _strings(section, place: str, errors) -> dict[str, str]:
    if section is None:
        return {}
    if not isinstance(section, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int) for k, v in section.items()):
        errors.add({place: _("Give a table of names to texts.")})
        return {}
    return {k: str(v) for k, v in section.items()}


def _fields_known(names, place: str, errors) -> None:
    for name in names:
        if name not in FIELDS:
            errors.add({f"{place}.{name}": _("Unknown field; use one of: %(fields)s.")
                        % {"fields": ", ".join(FIELDS)}})


def _source(source, errors) -> dict:
    if not isinstance(source, dict):
        errors.add({"source": _("Name the source system and its id column "
                                "(source: {system: ..., id_column: ...}).")})
        return {}
    found = _strings(source, "source", errors)
    for name in ("system", "id_column"):
        if not found.get(name, "").strip():
            errors.add({f"source.{name}": _("This is required.")})
    for name, default in (("delimiter", ","), ("list_separator", ";")):
        if len(found.get(name, default)) != 1:
            errors.add({f"source.{name}": _("Give one character.")})
    unknown = set(found) - {"system", "id_column", "delimiter", "list_separator"}
    for name in sorted(unknown):
        errors.add({f"source.{name}": _("Unknown setting.")})
    return found


def _date_formats(formats, errors) -> tuple[str, ...]:
    if formats is None:
        return ("%Y-%m-%d",)
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not formats or not all(
            isinstance(f, str) and "%Y" in f for f in formats):
        errors.add({"date_formats": _("Give a list of date formats, each with %Y "
                                      "(%d.%m.%Y, %Y-%m-%d, %m/%Y).")})
        return ()
    return tuple(formats)


def parse(text: str) -> Mapping:
    """The mapping in `text` (YAML), or a ValidationError naming every mistake at once."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        raise ValidationError({"mapping": _("Not valid YAML%(line)s.") % {"line": line}}) from None
    if not isinstance(document, dict):
        raise ValidationError({"mapping": _("A mapping is a YAML table with the sections "
                                            "source, columns, values, defaults, date_formats.")})
    with collect() as errors:
        for name in sorted(set(document) - SECTIONS):
            errors.add({str(name): _("Unknown section.")})
        source = _source(document.get("source"), errors)
        formats = _date_formats(document.get("date_formats"), errors)
        columns = _strings(document.get("columns"), "columns", errors)
        _fields_known(columns, "columns", errors)
        defaults = _strings(document.get("defaults"), "defaults", errors)
        _fields_known(defaults, "defaults", errors)
        values = document.get("values") or {}
        if not isinstance(values, dict):
            errors.add({"values": _("Give a table of fields to tables of words.")})
            values = {}
        _fields_known(values, "values", errors)
        words = {name: _strings(table, f"values.{name}", errors) for name, table in values.items()}
        for name in REQUIRED:
            if name not in columns and name not in defaults:
                errors.add({f"columns.{name}": _("This field is required: map a column to it.")})
    return Mapping(system=source["system"].strip(), id_column=source["id_column"].strip(),
                   columns=columns, values=words, defaults=defaults, date_formats=formats,
                   delimiter=source.get("delimiter", ","),
                   list_separator=source.get("list_separator", ";"))


def from_json(data: dict) -> Mapping:
    """A mapping stored by `Mapping.as_json` (already checked)."""
    source = data["source"]
    return Mapping(system=source["system"], id_column=source["id_column"],
                   columns=data["columns"], values=data["values"], defaults=data["defaults"],
                   date_formats=tuple(data["date_formats"]), delimiter=source["delimiter"],
                   list_separator=source["list_separator"])

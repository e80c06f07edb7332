"""The CTDC data standard: export of the node's exploitation records and import of CTDC files.

Layouts (see the CTDC codebooks):

* ``global``: the global k-anonymised dataset. Semicolon-separated; the first column is blank
  in every row and its header is the terms-of-use sentence; 0/1 flags, each flag group with a
  ``...Concatenated`` column joining the set labels with ``;``; countries ISO alpha-2.
* ``synthetic``: the 2024 global synthetic dataset. Comma-separated, 27 columns, countries
  ISO alpha-3, flags 1 or empty.
* ``vp`` (import only): the victim-perpetrator synthetic dataset. Countries only as UN regions.

CTDC codes Kosovo under Serbia: the export maps XK to RS (SRB) and says so in its notes.
The export is the node's microdata, not a release: it holds no identity (no name, date of
birth or document) but it is not anonymised either; apply `disclosure` before publishing.
The functions here do not import Django; `crossroads.statistics.services` does the database.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from crossroads.text import SafeCsvWriter

from .countries import ALPHA2, ALPHA3

TERMS = ("By using this data you agree to the Terms of Use: "
         "https://www.ctdatacollaborative.org/terms-use")
KOSOVO_NOTE = ("CTDC codes Kosovo under Serbia: {n} record(s) with Kosovo (XK) as citizenship or "
               "country of exploitation are written as Serbia ({code}).")

# --- vocabularies: crossroads code -> CTDC column suffix (and label in ...Concatenated) -------

MEANS = {
    "debt_bondage": "DebtBondage", "takes_earnings": "TakesEarnings",
    "restricts_financial_access": "RestrictsFinancialAccess", "threats": "Threats",
    "psychological_abuse": "PsychologicalAbuse", "physical_abuse": "PhysicalAbuse",
    "sexual_abuse": "SexualAbuse", "false_promises": "FalsePromises",
    "psychoactive_substances": "PsychoactiveSubstances", "restricts_movement": "RestrictsMovement",
    "restricts_medical_care": "RestrictsMedicalCare",
    "excessive_working_hours": "ExcessiveWorkingHours", "uses_children": "UsesChildren",
    "threat_of_law_enforcement": "ThreatOfLawEnforcement",
    "withholds_necessities": "WithholdsNecessities", "withholds_documents": "WithholdsDocuments",
    "other": "Other", "not_specified": "NotSpecified",
}
LABOUR = {
    "agriculture": "Agriculture", "aquafarming": "Aquafarming", "begging": "Begging",
    "construction": "Construction", "domestic_work": "DomesticWork", "hospitality": "Hospitality",
    "illicit_activities": "IllicitActivities", "manufacturing": "Manufacturing",
    "mining": "MiningOrDrilling", "peddling": "Peddling", "transportation": "Transportation",
    "other": "Other", "not_specified": "NotSpecified",
}
SEX_TYPES = {"prostitution": "Prostitution", "pornography": "Pornography",
             "remote_interactive": "RemoteInteractiveServices",
             "private_sexual_services": "PrivateSexualServices"}
# Exploitation columns of the global layout with their label in typeOfExploitConcatenated.
EXPLOIT = {"isForcedLabour": "Forced labour", "isSexualExploit": "Sexual exploitation",
           "isOtherExploit": "Other", "isSexAndLabour": "Sexual and labour exploitation",
           "isForcedMarriage": "Forced marriage", "isForcedMilitary": "Forced military",
           "isOrganRemoval": "Organ removal", "isSlaveryAndPractices": "Slavery and similar practices"}
# Crossroads form -> global exploitation column (forced begging and criminality are forced
# labour in CTDC, told apart by the labour sector Begging / IllicitActivities).
FORM_COLUMN = {
    "sexual": "isSexualExploit", "forced_labour": "isForcedLabour",
    "forced_begging": "isForcedLabour", "forced_criminality": "isForcedLabour",
    "forced_marriage": "isForcedMarriage", "forced_military": "isForcedMilitary",
    "organ_removal": "isOrganRemoval", "slavery": "isSlaveryAndPractices",
    "illegal_adoption": "isOtherExploit", "surrogacy": "isOtherExploit", "other": "isOtherExploit",
}
FORM_SECTOR = {"forced_begging": "begging", "forced_criminality": "illicit_activities"}
# The three groups of the synthetic layout (and of the CTDC dashboards).
SYNTHETIC_FORM = {"isSexualExploit": "isSexualExploit", "isForcedLabour": "isForcedLabour"}
RELATIONS = {"intimate_partner": ("Intimate Partner", "recruiterRelationIntimatePartner"),
             "friend": ("Friend/Acquaintance", "recruiterRelationFriend"),
             "family": ("Family/Relative", "recruiterRelationFamily"),
             "other": ("Other", "recruiterRelationOther"),
             "unknown": ("Not Specified", "recruiterRelationUnknown")}
AGE_BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]
GLOBAL_GENDER = {"F": "Female", "M": "Male", "X": "Transgender/NonConforming", "U": "Unknown"}
SYNTHETIC_GENDER = {"F": "Woman", "M": "Man", "X": "Trans/Transgender/NonConforming", "U": ""}
VP_GENDER = {"F": "Female", "M": "Male", "X": "Transgender/NonConforming", "U": "Unknown"}
MISSING = {"", "-99", "Unknown", "unknown", "ZZ", "00", "NA"}
TRAFFICK_MONTHS = ["0--12 (0-1 yr)", "13--24 (1-2 yrs)", "25+ (2+ yrs)"]

GLOBAL_COLUMNS = (
    [TERMS, "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus",
     "majorityStatusAtExploit", "majorityEntry", "citizenship"]
    + [f"meansOfControl{s}" for s in MEANS.values()] + ["meansOfControlConcatenated"]
    + list(EXPLOIT) + ["typeOfExploitConcatenated"]
    + [f"typeOfLabour{s}" for s in LABOUR.values()] + ["typeOfLabourConcatenated"]
    + [f"typeOfSex{s}" for s in SEX_TYPES.values()] + ["typeOfSexConcatenated"]
    + ["isAbduction", "RecruiterRelationship", "CountryOfExploitation"]
    + [column for _label, column in RELATIONS.values()]
)
# The synthetic layout's grouped means of control: crossroads means -> synthetic column.
SYNTHETIC_MEANS = {
    "meansDebtBondageEarnings": {"debt_bondage", "takes_earnings", "restricts_financial_access"},
    "meansThreats": {"threats", "threat_of_law_enforcement"},
    "meansAbusePsyPhySex": {"psychological_abuse", "physical_abuse", "sexual_abuse"},
    "meansFalsePromises": {"false_promises"},
    "meansDrugsAlcohol": {"psychoactive_substances"},
    "meansDenyBasicNeeds": {"withholds_necessities", "restricts_medical_care", "restricts_movement"},
    "meansExcessiveWorkHours": {"excessive_working_hours"},
    "meansWithholdDocs": {"withholds_documents"},
}
SYNTHETIC_LABOUR = ["agriculture", "construction", "domestic_work", "hospitality"]
SYNTHETIC_SEX = ["prostitution", "pornography"]
SYNTHETIC_COLUMNS = (
    ["yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation",
     "traffickMonths"] + list(SYNTHETIC_MEANS)
    + ["isForcedLabour", "isSexualExploit", "isOtherExploit"]
    + [f"typeOfLabour{LABOUR[s]}" for s in SYNTHETIC_LABOUR]
    + [f"typeOfSex{SEX_TYPES[s]}" for s in SYNTHETIC_SEX]
    + [column for key, (_label, column) in RELATIONS.items() if key != "unknown"]
)
VP_COLUMNS = ["yearRegister", "gender", "majorityStatus", "isForcedLabour", "isSexualExploit",
              "UN_COO_Region", "UN_COE_Region", "IP_Exploiter", "IP_Gender", "IP_ageBroad",
              "IP_citizen_UNRegion", "IP_Relation", "IP_PayMoney", "IP_RecruiterBroker",
              "IP_TransactionProcess", "IP_ControlAbuseKidnap"]
LAYOUTS = ("global", "synthetic")


# --- export ---------------------------------------------------------------------------------


@dataclass
class ExportRecord:
    """What the export needs of one exploitation record (no identity)."""

    year: int
    sex: str = "U"                       # F, M, X, U
    age_band: str = ""
    is_minor: bool = False
    citizenship: str = ""                # alpha-2, XK for Kosovo
    country_of_exploitation: str = ""
    forms: list[str] = field(default_factory=list)
    labour_sectors: list[str] = field(default_factory=list)
    sexual_types: list[str] = field(default_factory=list)
    means_of_control: list[str] = field(default_factory=list)
    recruiter_relation: str = "unknown"
    is_abduction: bool = False
    months: int | None = None            # length of the exploitation, when known


def exploit_columns(forms: Iterable[str]) -> set[str]:
    columns = {FORM_COLUMN[f] for f in forms if f in FORM_COLUMN}
    if {"isSexualExploit", "isForcedLabour"} <= columns:
        columns.add("isSexAndLabour")
    return columns


def form_groups(forms: Iterable[str]) -> set[str]:
    """The synthetic layout's groups (and the dashboards'): sexual, labour, other."""
    groups = set()
    for column in exploit_columns(forms) - {"isSexAndLabour"}:
        groups.add({"isSexualExploit": "sexual", "isForcedLabour": "labour"}.get(column, "other"))
    return groups


def _kosovo(code: str) -> tuple[str, bool]:
    return ("RS", True) if code == "XK" else (code, False)


def _majority(record: ExportRecord) -> str:
    if record.is_minor:
        return "Minor"
    return "Adult" if record.age_band else "Unknown"


def _global_row(r: ExportRecord) -> list[str]:
    def flag(on: bool) -> str:
        return "1" if on else "0"

    sectors = set(r.labour_sectors) | {FORM_SECTOR[f] for f in r.forms if f in FORM_SECTOR}
    exploits = exploit_columns(r.forms)
    relation = r.recruiter_relation if r.recruiter_relation in RELATIONS else "unknown"
    majority = _majority(r)
    values = {
        TERMS: "", "yearOfRegistration": str(r.year), "Datasource": "Case Management",
        "gender": GLOBAL_GENDER.get(r.sex, "Unknown"), "ageBroad": r.age_band,
        "majorityStatus": majority, "majorityStatusAtExploit": majority, "majorityEntry": "",
        "citizenship": _kosovo(r.citizenship)[0] or "ZZ",
        "meansOfControlConcatenated": ";".join(MEANS[m] for m in MEANS if m in r.means_of_control),
        "typeOfExploitConcatenated": ";".join(EXPLOIT[c] for c in EXPLOIT if c in exploits),
        "typeOfLabourConcatenated": ";".join(LABOUR[s] for s in LABOUR if s in sectors),
        "typeOfSexConcatenated": ";".join(SEX_TYPES[s] for s in SEX_TYPES if s in r.sexual_types),
        "isAbduction": flag(r.is_abduction), "RecruiterRelationship": RELATIONS[relation][0],
        "CountryOfExploitation": _kosovo(r.country_of_exploitation)[0] or "ZZ",
    }
    values |= {f"meansOfControl{s}": flag(m in r.means_of_control) for m, s in MEANS.items()}
    values |= {c: flag(c in exploits) for c in EXPLOIT}
    values |= {f"typeOfLabour{s}": flag(k in sectors) for k, s in LABOUR.items()}
    values |= {f"typeOfSex{s}": flag(k in r.sexual_types) for k, s in SEX_TYPES.items()}
    values |= {column: flag(key == relation) for key, (_label, column) in RELATIONS.items()}
    return [values[c] for c in GLOBAL_COLUMNS]


def _alpha3(code: str) -> str:
    code = _kosovo(code)[0]
    return ALPHA3.get(code, "")


def _months_band(months: int | None) -> str:
    if months is None:
        return ""
    return TRAFFICK_MONTHS[0] if months <= 12 else TRAFFICK_MONTHS[1] if months <= 24 else TRAFFICK_MONTHS[2]


def _synthetic_row(r: ExportRecord) -> list[str]:
    def flag(on: bool) -> str:
        return "1" if on else ""

    sectors = set(r.labour_sectors) | {FORM_SECTOR[f] for f in r.forms if f in FORM_SECTOR}
    groups = form_groups(r.forms)
    values = {
        "yearOfRegistration": str(r.year), "gender": SYNTHETIC_GENDER.get(r.sex, ""),
        "ageBroad": r.age_band, "citizenship": _alpha3(r.citizenship),
        "CountryOfExploitation": _alpha3(r.country_of_exploitation),
        "traffickMonths": _months_band(r.months),
        "isForcedLabour": flag("labour" in groups), "isSexualExploit": flag("sexual" in groups),
        "isOtherExploit": flag("other" in groups),
    }
    values |= {c: flag(bool(means & set(r.means_of_control))) for c, means in SYNTHETIC_MEANS.items()}
    values |= {f"typeOfLabour{LABOUR[s]}": flag(s in sectors) for s in SYNTHETIC_LABOUR}
    values |= {f"typeOfSex{SEX_TYPES[s]}": flag(s in r.sexual_types) for s in SYNTHETIC_SEX}
    values |= {column: flag(key == r.recruiter_relation) for key, (_label, column) in RELATIONS.items()
               if key != "unknown"}
    return [values[c] for c in SYNTHETIC_COLUMNS]


@dataclass
class ExportResult:
    rows: int
    kosovo: int
    notes: list[str]


def write_export(records: Iterable[ExportRecord], out, layout: str) -> ExportResult:
    """Write `records` to the text stream `out` in `layout` (global | synthetic)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    if layout == "global":
        writer = SafeCsvWriter(out, delimiter=";", lineterminator="\n")
        writer.writerow(GLOBAL_COLUMNS)
        to_row = _global_row
    else:
        writer = SafeCsvWriter(out, delimiter=",", lineterminator="\n")
        writer.writerow(SYNTHETIC_COLUMNS)
        to_row = _synthetic_row
    rows = kosovo = 0
    for record in records:
        writer.writerow(to_row(record))
        rows += 1
        kosovo += "XK" in (record.citizenship, record.country_of_exploitation)
    notes = [f"layout: {layout}; {rows} record(s), one per exploitation record of the node.",
             "Not anonymised: no identity is written, but these are the node's microdata; "
             "apply disclosure control (k-anonymity or suppression) before any publication."]
    if layout == "synthetic":
        notes.append("The 2024 synthetic layout is used as a format only: the rows are the "
                     "node's records, not synthetic ones.")
    notes.append(KOSOVO_NOTE.format(n=kosovo, code="RS" if layout == "global" else "SRB"))
    return ExportResult(rows=rows, kosovo=kosovo, notes=notes)


# --- import ---------------------------------------------------------------------------------


class RowError(ValueError):
    pass


@dataclass
class ImportedRow:
    line: int
    year: int | None
    gender: str
    age_band: str
    majority: str
    citizenship: str
    country_of_exploitation: str
    forms: list[str]
    labour_sectors: list[str]
    sexual_types: list[str]
    means_of_control: list[str]
    recruiter_relation: str
    raw: dict
    years: str = ""                      # a published period ("2014-2018") when there is no year


@dataclass
class Problem:
    line: int
    message: str


def detect_layout(header_line: str) -> str:
    """global, synthetic or vp, from a file's first line; ValueError otherwise."""
    line = header_line.lstrip("\ufeff").strip()
    if ";" in line and "yearOfRegistration" in line.split(";"):
        return "global"
    first = line.split(",")
    if first[:2] == ["yearOfRegistration", "gender"]:
        return "synthetic"
    if first[:2] == ["yearRegister", "gender"] and "IP_Exploiter" in first:
        return "vp"
    raise ValueError("not a CTDC file: the first line is none of the global (;-separated, "
                     "yearOfRegistration), 2024 synthetic or victim-perpetrator headers")


def _year(value: str) -> int | None:
    value = value.strip()
    if value in MISSING:
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise RowError(f"year {value!r} is not a year")
    return int(value)


def _flag(row: dict, column: str, *, zero_allowed: bool) -> bool:
    value = (row.get(column) or "").strip()
    if value == "1":
        return True
    if value in {"", "-99"} or (zero_allowed and value == "0"):
        return False
    raise RowError(f"{column} is {value!r}, not a flag ({'0/1' if zero_allowed else '1 or empty'})")


def _choice(value: str, allowed: dict[str, str], column: str) -> str:
    value = value.strip()
    if value in allowed:
        return allowed[value]
    if value in MISSING:
        return ""
    raise RowError(f"{column} {value!r} is not one of {', '.join(v for v in allowed if v)}")


def _band(value: str) -> str:
    value = value.strip()
    if value in MISSING:
        return ""
    if value not in AGE_BANDS:
        raise RowError(f"ageBroad {value!r} is not a CTDC age band")
    return value


def _majority_of(value: str, column: str = "majorityStatus") -> str:
    return _choice(value, {"Minor": "Minor", "Adult": "Adult"}, column)


def _country2(value: str, column: str) -> str:
    value = value.strip()
    if value in MISSING:
        return ""
    if value not in ALPHA3 and value != "XK":
        raise RowError(f"{column} {value!r} is not an ISO alpha-2 code")
    return value


def _country3(value: str, column: str) -> str:
    value = value.strip()
    if value in MISSING:
        return ""
    if value not in ALPHA2:
        raise RowError(f"{column} {value!r} is not an ISO alpha-3 code")
    return ALPHA2[value]


def _forms_from(row: dict, sectors: list[str], zero_allowed: bool) -> list[str]:
    forms = []
    if _flag(row, "isSexualExploit", zero_allowed=zero_allowed):
        forms.append("sexual")
    if _flag(row, "isForcedLabour", zero_allowed=zero_allowed):
        # Begging or illicit activities alone are the forms Crossroads names on their own.
        if sectors == ["begging"]:
            forms.append("forced_begging")
        elif sectors == ["illicit_activities"]:
            forms.append("forced_criminality")
        else:
            forms.append("forced_labour")
    for column, form in (("isForcedMarriage", "forced_marriage"),
                         ("isForcedMilitary", "forced_military"),
                         ("isOrganRemoval", "organ_removal"),
                         ("isSlaveryAndPractices", "slavery"), ("isOtherExploit", "other")):
        if column in row and _flag(row, column, zero_allowed=zero_allowed):
            forms.append(form)
    return forms


def _relation(row: dict, zero_allowed: bool) -> str:
    for key, (_label, column) in RELATIONS.items():
        if column in row and _flag(row, column, zero_allowed=zero_allowed):
            return key
    return ""


def _parse_global(row: dict, line: int) -> ImportedRow:
    sectors = [k for k, s in LABOUR.items() if _flag(row, f"typeOfLabour{s}", zero_allowed=True)]
    return ImportedRow(
        line=line, year=_year(row["yearOfRegistration"]),
        gender=_choice(row["gender"], {v: k for k, v in GLOBAL_GENDER.items()}, "gender"),
        age_band=_band(row["ageBroad"]), majority=_majority_of(row["majorityStatus"]),
        citizenship=_country2(row["citizenship"], "citizenship"),
        country_of_exploitation=_country2(row["CountryOfExploitation"], "CountryOfExploitation"),
        forms=_forms_from(row, sectors, zero_allowed=True), labour_sectors=sectors,
        sexual_types=[k for k, s in SEX_TYPES.items()
                      if _flag(row, f"typeOfSex{s}", zero_allowed=True)],
        means_of_control=[k for k, s in MEANS.items()
                          if _flag(row, f"meansOfControl{s}", zero_allowed=True)],
        recruiter_relation=_relation(row, zero_allowed=True),
        raw={k: v for k, v in row.items() if k != TERMS},
    )


def _parse_synthetic(row: dict, line: int) -> ImportedRow:
    sectors = [s for s in SYNTHETIC_LABOUR if _flag(row, f"typeOfLabour{LABOUR[s]}", zero_allowed=False)]
    band = _band(row["ageBroad"])
    means = sorted(set().union(*(m for c, m in SYNTHETIC_MEANS.items()
                                 if _flag(row, c, zero_allowed=False))))
    months = row["traffickMonths"].strip()
    if months and months not in TRAFFICK_MONTHS:
        raise RowError(f"traffickMonths {months!r} is not a CTDC band")
    gender = {v: k for k, v in SYNTHETIC_GENDER.items() if v}
    return ImportedRow(
        line=line, year=_year(row["yearOfRegistration"]),
        gender=_choice(row["gender"], gender, "gender"), age_band=band,
        majority=("Minor" if band in {"0--8", "9--17"} else "Adult") if band else "",
        citizenship=_country3(row["citizenship"], "citizenship"),
        country_of_exploitation=_country3(row["CountryOfExploitation"], "CountryOfExploitation"),
        forms=_forms_from(row, sectors, zero_allowed=False), labour_sectors=sectors,
        sexual_types=[s for s in SYNTHETIC_SEX if _flag(row, f"typeOfSex{SEX_TYPES[s]}",
                                                         zero_allowed=False)],
        means_of_control=means, recruiter_relation=_relation(row, zero_allowed=False), raw=dict(row),
    )


def _year_or_period(value: str) -> tuple[int | None, str]:
    """The victim-perpetrator file gives some years as periods, such as 2014-2018."""
    first, dash, last = value.strip().partition("-")
    if dash and first.isdigit() and last.isdigit() and _year(first) <= _year(last):
        return None, f"{first}-{last}"
    return _year(value), ""


def _parse_vp(row: dict, line: int) -> ImportedRow:
    year, years = _year_or_period(row["yearRegister"])
    return ImportedRow(
        line=line, year=year, years=years,
        gender=_choice(row["gender"], {v: k for k, v in VP_GENDER.items()}, "gender"),
        age_band="", majority=_majority_of(row["majorityStatus"]), citizenship="",
        country_of_exploitation="", forms=_forms_from(row, [], zero_allowed=True),
        labour_sectors=[], sexual_types=[], means_of_control=[], recruiter_relation="",
        raw=dict(row),
    )


PARSERS = {"global": (";", GLOBAL_COLUMNS, _parse_global),
           "synthetic": (",", SYNTHETIC_COLUMNS, _parse_synthetic),
           "vp": (",", VP_COLUMNS, _parse_vp)}


def decoded_lines(binary, name: str) -> Iterator[str]:
    """The lines of a UTF-8 file (a leading BOM dropped), one at a time; a line that is not
    UTF-8 or holds a NUL byte raises ValueError naming the file and the line."""
    for number, raw in enumerate(binary, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(f"{name}: line {number}: not UTF-8 text (byte {error.start + 1} "
                             f"of the line is {raw[error.start:error.start + 1].hex()}); "
                             "save the file as UTF-8") from None
        if "\0" in line:
            raise ValueError(f"{name}: line {number}: a NUL byte (byte {line.index(chr(0)) + 1} "
                             "of the line); remove it")
        yield line


def read(lines: Iterator[str]) -> tuple[str, Iterator[ImportedRow | Problem]]:
    """A CTDC file's layout (from its header) and its rows, parsed one at a time: a row that
    does not fit is a Problem with its line number (the header is line 1), never aborting the
    rest. Bounded memory: nothing is kept between rows."""
    header_line = next(lines, "")
    layout = detect_layout(header_line)
    delimiter, expected, parse_row = PARSERS[layout]
    header = next(csv.reader([header_line.lstrip("\ufeff")], delimiter=delimiter))
    header = [h.strip() for h in header]
    if layout == "global":
        header[0] = TERMS  # the sentence may differ between releases; the column is blank
    missing = [c for c in expected if c not in header]
    if missing:
        raise ValueError(f"{layout} layout without the column(s) {', '.join(missing)}")

    def rows() -> Iterator[ImportedRow | Problem]:
        for line, values in _numbered(lines, delimiter):
            if len(values) != len(header):
                yield Problem(line, f"{len(values)} fields, the header has {len(header)}")
                continue
            try:
                yield parse_row(dict(zip(header, values, strict=True)), line)
            except RowError as error:
                yield Problem(line, str(error))

    return layout, rows()


def _numbered(stream, delimiter) -> Iterator[tuple[int, list[str]]]:
    """Rows with the file line they start on (the header, already read, is line 1)."""
    reader = csv.reader(stream, delimiter=delimiter)
    read_lines = 0
    for values in reader:
        start, read_lines = read_lines + 2, reader.line_num
        if not values or values == [""]:
            continue
        yield start, values

"""Validation of national personal numbers used in the Western Balkans.

Pure Python, no Django: the form and API layers wrap :class:`NationalIdError`
into their own (translated) validation errors, using ``code``, ``template``
and ``params``.

Supported:

* JMBG / EMBG / EMŠO, the 13-digit Yugoslav unique master citizen number
  ``DDMMYYYRRBBBK`` still used in Serbia, Montenegro, Bosnia and Herzegovina,
  North Macedonia (EMBG) and in older Kosovo records.
* The Albanian personal number (*numri personal*), 10 characters.
* Any other document number (passport, ID card, ...): normalisation and a
  loose character/length check only.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass
from typing import Literal

Sex = Literal["M", "F"]
BirthPrecision = Literal["exact", "month", "year", "age"]

_PRECISIONS = ("exact", "month", "year", "age")


class NationalIdError(ValueError):
    """An invalid or inconsistent personal/document number.

    ``code`` is stable and machine-readable: ``length``, ``digits``, ``format``,
    ``date``, ``region``, ``checksum``, ``birth_date_mismatch``, ``sex_mismatch``.
    ``template`` is a plain English ``%(name)s``-style message and ``params`` its
    values, so a caller can translate the template and interpolate afterwards
    (the shape of Django's ``ValidationError(message, code, params)``).
    """

    def __init__(self, code: str, template: str, /, **params: object) -> None:
        self.code = code
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)

    @property
    def message(self) -> str:
        return str(self)


# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------


def _compact(number: str) -> str:
    """Remove all whitespace (leading, trailing and inner)."""
    return "".join(str(number).split())


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _check_consistency(
    label: str,
    encoded_date: datetime.date,
    encoded_sex: Sex,
    birth_date: datetime.date | None,
    sex: str | None,
    birth_precision: str | None,
) -> None:
    """Compare what a number encodes with what the record says.

    ``birth_precision`` says how much of the recorded ``birth_date`` is known:
    ``exact`` (or None) compares the full date, ``month`` year and month,
    ``year`` the year only, and ``age`` (a date estimated from a stated age)
    skips the date comparison. Only ``M``/``F`` are compared for sex; other
    values (unknown, other) are not contradicted by a number.
    """
    precision = birth_precision or "exact"
    if precision not in _PRECISIONS:
        raise ValueError(f"birth_precision must be one of {_PRECISIONS}, not {birth_precision!r}")
    if birth_date is not None and precision != "age":
        if precision == "exact":
            same = encoded_date == birth_date
        elif precision == "month":
            same = (encoded_date.year, encoded_date.month) == (birth_date.year, birth_date.month)
        else:
            same = encoded_date.year == birth_date.year
        if not same:
            raise NationalIdError(
                "birth_date_mismatch",
                "This %(label)s encodes the date of birth %(encoded)s, which does not "
                "match the recorded date of birth %(recorded)s.",
                label=label,
                encoded=encoded_date.isoformat(),
                recorded=birth_date.isoformat(),
            )
    recorded_sex = (sex or "").strip().upper()
    if recorded_sex in ("M", "F") and recorded_sex != encoded_sex:
        raise NationalIdError(
            "sex_mismatch",
            "This %(label)s encodes sex %(encoded)s, which does not match the "
            "recorded sex %(recorded)s.",
            label=label,
            encoded=encoded_sex,
            recorded=recorded_sex,
        )


# --------------------------------------------------------------------------
# JMBG / EMBG
# --------------------------------------------------------------------------

# (first code, last code, English label). Country blocks as commonly published
# (sr Wikipedia, Serbian and Croatian explainers on JMBG). The x0
# codes (00, 20, 40, 70, 90) have no named sub-region in those lists but fall
# inside their country's block, so they are accepted rather than rejecting a
# possibly genuine number. 60-69 were never assigned.
_JMBG_REGIONS: tuple[tuple[int, int, str], ...] = (
    (0, 9, "Foreign national"),
    (10, 19, "Bosnia and Herzegovina"),
    (20, 29, "Montenegro"),
    (30, 39, "Croatia"),
    (40, 49, "North Macedonia"),
    (50, 59, "Slovenia"),
    (70, 79, "Serbia – central"),
    (80, 89, "Serbia – Vojvodina"),
    (90, 99, "Kosovo"),
)

_JMBG_WEIGHTS = (7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class JmbgInfo:
    birth_date: datetime.date
    sex: Sex
    region_code: int
    region: str
    serial: int


def jmbg_region(region_code: int) -> str | None:
    """English label of a JMBG region code, or None if the code is unassigned."""
    for first, last, label in _JMBG_REGIONS:
        if first <= region_code <= last:
            return label
    return None


def _jmbg_remainder(first12: str) -> int:
    return sum(int(d) * w for d, w in zip(first12, _JMBG_WEIGHTS, strict=True)) % 11


def _jmbg_check_digit(first12: str) -> int | None:
    """Check digit K for the first 12 digits; None when K would be 10.

    K = 11 - (7(a+g) + 6(b+h) + 5(c+i) + 4(d+j) + 3(e+k) + 2(f+l)) mod 11.

    K = 11 (remainder 0) is written as 0 everywhere. K = 10 (remainder 1) is
    ambiguous between sources: the Serbian explainer at opsteobrazovanje.in.rs
    and python-stdnum's ``si.emso`` (citing Wikipedia) write it as 0, while
    the Croatian tax-form check ("Provjera MB", Obrazac R-S) treats such a
    number as wrong, i.e. that serial is never assigned. Parsing accepts 0 for
    it (so no genuine number is rejected); :func:`generate_jmbg` never produces it.
    """
    remainder = _jmbg_remainder(first12)
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def _jmbg_year(yyy: int, today: datetime.date) -> int | None:
    """Full year from the three-digit YYY: 800-999 -> 1YYY, 000-now -> 2YYY."""
    if yyy >= 800:
        return 1000 + yyy
    if 2000 + yyy <= today.year:
        return 2000 + yyy
    return None


def parse_jmbg(number: str) -> JmbgInfo:
    """Validate a JMBG/EMBG and decode it. Raises :class:`NationalIdError`."""
    value = _compact(number)
    if value and not (value.isascii() and value.isdigit()):
        raise NationalIdError("digits", "A JMBG may contain only digits.")
    if len(value) != 13:
        raise NationalIdError(
            "length", "A JMBG has exactly 13 digits; this one has %(count)d.", count=len(value)
        )
    today = datetime.date.today()
    year = _jmbg_year(int(value[4:7]), today)
    birth = _safe_date(year, int(value[2:4]), int(value[0:2])) if year else None
    if birth is None or birth > today:
        raise NationalIdError(
            "date",
            "The first 7 digits of a JMBG are the date of birth (DDMMYYY); "
            "%(digits)s is not a possible date of birth.",
            digits=value[:7],
        )
    region_code = int(value[7:9])
    region = jmbg_region(region_code)
    if region is None:
        raise NationalIdError(
            "region",
            "Digits 8-9 of a JMBG are the region of registration; %(code)s is not assigned.",
            code=value[7:9],
        )
    expected = _jmbg_check_digit(value[:12])
    if int(value[12]) != (0 if expected is None else expected):
        raise NationalIdError(
            "checksum",
            "The check digit (last digit) of this JMBG is wrong; please look for a typing error.",
        )
    serial = int(value[9:12])
    return JmbgInfo(
        birth_date=birth,
        sex="M" if serial < 500 else "F",
        region_code=region_code,
        region=region,
        serial=serial,
    )


def check_jmbg(
    number: str,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    birth_precision: str | None = None,
) -> JmbgInfo:
    """:func:`parse_jmbg`, then compare with the recorded birth date and sex."""
    info = parse_jmbg(number)
    _check_consistency("JMBG", info.birth_date, info.sex, birth_date, sex, birth_precision)
    return info


def generate_jmbg(rng: random.Random, birth_date: datetime.date, sex: Sex, region_code: int) -> str:
    """A valid synthetic JMBG (never one whose check digit would be 10)."""
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if not 0 <= region_code <= 99 or jmbg_region(region_code) is None:
        raise ValueError(f"unassigned JMBG region code {region_code!r}")
    today = datetime.date.today()
    if not datetime.date(1800, 1, 1) <= birth_date <= today:
        raise ValueError(f"a JMBG cannot encode the birth date {birth_date}")
    prefix = f"{birth_date:%d%m}{birth_date.year % 1000:03d}{region_code:02d}"
    low = 0 if sex == "M" else 500
    while True:  # about 1 serial in 11 is unusable, so this ends quickly
        first12 = f"{prefix}{rng.randrange(low, low + 500):03d}"
        check = _jmbg_check_digit(first12)
        if check is not None:
            return f"{first12}{check}"


# --------------------------------------------------------------------------
# Albanian personal number (numri personal)
# --------------------------------------------------------------------------

# Check-letter alphabet: position = weighted sum mod 23 (so 'W' stands for 0).
_AL_CHECK = "WABCDEFGHIJKLMNOPQRSTUV"
_AL_WEIGHTS = (1, 1, 2, 3, 4, 5, 6, 7, 8)
_AL_RE = re.compile(r"[A-T][0-9]{8}[A-Z]")


@dataclass(frozen=True)
class AlbanianIdInfo:
    birth_date: datetime.date
    sex: Sex


def _al_remainder(first9: str) -> int:
    # Letter values A=1 ... W=23, digits their own value.
    values = [_AL_CHECK.index(first9[0])] + [int(c) for c in first9[1:]]
    return sum(v * w for v, w in zip(values, _AL_WEIGHTS, strict=True)) % 23


def parse_albanian_personal_number(
    number: str, *, verify_check_letter: bool = True
) -> AlbanianIdInfo:
    """Validate an Albanian personal number and decode birth date and sex.

    Layout ``LYMMDDSSSC`` (e.g. synthetic ``I51023123N``): L is the decade of
    birth (A = 1900s ... J = 1990s, K = 2000s, M = 2020s), Y the last digit of
    the year, MM the month (+50 for women), DD the day, SSS a serial and C a
    check letter A-W. Layout sources: the Trustopia national-ID overview
    ("checksum letter (A-W)", female month + 50) and python-stdnum's
    ``al.nipt`` (the personal number doubles as an individual's tax number,
    NIPT; python-stdnum validates only the format there and says "check digit
    algorithm unknown"; no library found validates the personal number itself
    from an official specification).

    Check letter: no official specification was found. The rule used -- weights
    1,1,2,3,4,5,6,7,8 over the first nine characters (letters A=1 ... W=23),
    sum mod 23 indexing ``WABCDEFGHIJKLMNOPQRSTUV`` -- is the one implemented by
    the ``nidx`` library (dedal-io/nidx, MIT). It was cross-checked against the
    100 published company NIPTs in python-stdnum's test data (same 10-character
    scheme): 95 match exactly, and the other 5 all have remainder 0 written as
    'A' instead of 'W'. Both letters are therefore accepted for remainder 0,
    and generated numbers avoid that case. Pass ``verify_check_letter=False``
    to check only the letter's presence (e.g. for a registry officer's override).

    Month codes 31-42 / 81-92 (reported by nidx for foreign residents) are not
    accepted: no second source confirms them.
    """
    value = _compact(number).upper()
    if len(value) != 10:
        raise NationalIdError(
            "length",
            "An Albanian personal number has exactly 10 characters; this one has %(count)d.",
            count=len(value),
        )
    if not _AL_RE.fullmatch(value):
        raise NationalIdError(
            "format",
            "An Albanian personal number is a letter A-T, eight digits and a check letter "
            "(for example J45102345A).",
        )
    year = 1900 + 10 * (ord(value[0]) - ord("A")) + int(value[1])
    month_code, day = int(value[2:4]), int(value[4:6])
    sex: Sex = "F" if month_code > 50 else "M"
    month = month_code - 50 if sex == "F" else month_code
    birth = _safe_date(year, month, day) if 1 <= month <= 12 else None
    if birth is None or birth > datetime.date.today():
        raise NationalIdError(
            "date",
            "Characters 1-6 of an Albanian personal number are the date of birth "
            "(month + 50 for women); %(chars)s is not a possible date of birth.",
            chars=value[:6],
        )
    if verify_check_letter:
        remainder = _al_remainder(value[:9])
        allowed = "WA" if remainder == 0 else _AL_CHECK[remainder]
        if value[9] not in allowed:
            raise NationalIdError(
                "checksum",
                "The check letter (last character) of this Albanian personal number is "
                "wrong; please look for a typing error.",
            )
    return AlbanianIdInfo(birth_date=birth, sex=sex)


def check_albanian_personal_number(
    number: str,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    birth_precision: str | None = None,
    *,
    verify_check_letter: bool = True,
) -> AlbanianIdInfo:
    """:func:`parse_albanian_personal_number`, then compare with the record."""
    info = parse_albanian_personal_number(number, verify_check_letter=verify_check_letter)
    _check_consistency(
        "personal number", info.birth_date, info.sex, birth_date, sex, birth_precision
    )
    return info


def generate_albanian_personal_number(
    rng: random.Random, birth_date: datetime.date, sex: Sex
) -> str:
    """A synthetic Albanian personal number valid under the rule above.

    Serials whose sum is 0 mod 23 (check letter W or A, see above) are skipped.
    """
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if not datetime.date(1900, 1, 1) <= birth_date <= datetime.date.today():
        raise ValueError(f"an Albanian personal number cannot encode {birth_date}")
    decade = chr(ord("A") + (birth_date.year - 1900) // 10)
    month = birth_date.month + (50 if sex == "F" else 0)
    prefix = f"{decade}{birth_date.year % 10}{month:02d}{birth_date.day:02d}"
    while True:
        first9 = f"{prefix}{rng.randrange(1, 1000):03d}"
        remainder = _al_remainder(first9)
        if remainder:
            return f"{first9}{_AL_CHECK[remainder]}"


# --------------------------------------------------------------------------
# Dispatcher
# --------------------------------------------------------------------------

_GENERIC_RE = re.compile(r"[A-Z0-9/-]{3,30}")


def validate_document_number(
    doc_type: str,
    number: str,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    birth_precision: str | None = None,
) -> str:
    """Validate ``number`` for ``doc_type`` and return it normalised.

    ``jmbg`` (also EMBG/EMŠO) and ``al_personal_number`` are fully checked,
    including consistency with the recorded birth date and sex. Any other type
    (passport, id_card, other) is only normalised -- whitespace removed,
    upper-cased -- and must be 3-30 characters of A-Z, 0-9, '-' and '/'.
    """
    if doc_type == "jmbg":
        check_jmbg(number, birth_date, sex, birth_precision)
        return _compact(number)
    if doc_type == "al_personal_number":
        check_albanian_personal_number(number, birth_date, sex, birth_precision)
        return _compact(number).upper()
    value = _compact(number).upper()
    if not 3 <= len(value) <= 30:
        raise NationalIdError(
            "length",
            "A document number has 3 to 30 characters; this one has %(count)d.",
            count=len(value),
        )
    if not _GENERIC_RE.fullmatch(value):
        raise NationalIdError(
            "format",
            "A document number may contain only letters A-Z, digits, '-' and '/'.",
        )
    return value

"""Raw person records in, validated feature rows for the model out.

A raw record is a dict with the CSV columns (`id`, `given_name`, `family_name`,
`father_name`, `sex`, `birth_date`, `birth_place`, `citizenship`, `document_number`,
optionally `address`); values may be in any script. A feature row holds the folded
keys the comparisons and blocking rules work on; blank values become None so that
Splink treats them as missing rather than as equal.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from crossroads.linkage.dates import parse_birth_date
from crossroads.names import (
    citizenship_key,
    document_key,
    family_name_key,
    fold,
    given_name_key,
    given_spelling_key,
    place_key,
)

REQUIRED_COLUMNS = (
    "id",
    "given_name",
    "family_name",
    "father_name",
    "sex",
    "birth_date",
    "birth_place",
    "citizenship",
    "document_number",
)
OPTIONAL_COLUMNS = ("address",)
SEX_CODES = {"M": "M", "F": "F", "": None}

FEATURE_COLUMNS = (
    "unique_id",
    "given",
    "given_spelling",
    "family",
    "father",
    "name_pair",
    "name_prefix",
    "family_prefix",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_date",
    "sex",
    "birth_place",
    "citizenship",
    "document",
    "address",
    "address_tokens",
)


class BadRecord(ValueError):
    """A record that cannot be compared; `field` names the offending column."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class RecordError:
    """A rejected record: where it came from (1-based line or position) and why."""

    position: int
    record_id: str
    field: str
    message: str


def _blank_to_none(value: str) -> str | None:
    return value or None


def to_features(record: dict) -> dict:
    """Validate one raw record and return its feature row; raise BadRecord if invalid."""
    record_id = str(record.get("id") or "").strip()
    if not record_id:
        raise BadRecord("id", "is empty")
    sex_text = str(record.get("sex") or "").strip().upper()
    if sex_text not in SEX_CODES:
        raise BadRecord("sex", f"{sex_text!r} is not M, F or empty")
    try:
        birth = parse_birth_date(record.get("birth_date"))
    except ValueError as error:
        raise BadRecord("birth_date", str(error)) from None
    given_text = record.get("given_name")
    given = given_name_key(given_text)
    family = family_name_key(record.get("family_name"))
    address = fold_address(record.get("address"))
    return {
        "unique_id": record_id,
        "given": _blank_to_none(given),
        # Before variants are merged, for typo tolerance: "Andriaj" is close to
        # "Andrija" but not to its canonical variant "Andrej".
        "given_spelling": _blank_to_none(given_spelling_key(given_text)),
        "family": _blank_to_none(family),
        "father": _blank_to_none(given_name_key(record.get("father_name"))),
        # Order-free, so a record with given and family name swapped blocks with
        # the correctly ordered one.
        "name_pair": "|".join(sorted((given, family))) if given and family else None,
        # Prefixes block records whose names both carry a typo near the end; also
        # order-free.
        "name_prefix": "|".join(sorted((given[:3], family[:3]))) if given and family else None,
        "family_prefix": family[:4] or None,
        "birth_year": birth.year,
        "birth_month": birth.month,
        "birth_day": birth.day,
        "birth_date": birth.iso,
        "sex": SEX_CODES[sex_text],
        "birth_place": _blank_to_none(place_key(record.get("birth_place"))),
        "citizenship": _blank_to_none(citizenship_key(record.get("citizenship"))),
        "document": _blank_to_none(document_key(record.get("document_number"))),
        "address": _blank_to_none(" ".join(address)),
        "address_tokens": address or None,
    }


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    """One address word folded; cached, since the words of a register's addresses (its
    streets, towns, "rruga", "ulica") repeat far more than whole addresses do."""
    return word if word.isdigit() else fold(word)


def fold_address(text: str | None) -> list[str]:
    if not text:
        return []
    tokens = (_fold_word(token) for token in str(text).split())
    return [token for token in tokens if token]


def features_with_errors(records: Iterable[dict], first_position: int = 1) -> Iterator[dict | RecordError]:
    """Yield a feature row per valid record and a RecordError per invalid one.

    `first_position` numbers the records (a CSV reader passes line numbers itself by
    giving each record a `_line` key, which wins over the running position). A
    repeated id is an error too: the second record would be unaddressable.
    """
    first_seen: dict[str, int] = {}
    for offset, record in enumerate(records):
        position = record.get("_line", first_position + offset)
        try:
            features = to_features(record)
        except BadRecord as error:
            yield RecordError(position, str(record.get("id") or ""), error.field, error.message)
            continue
        record_id = features["unique_id"]
        if record_id in first_seen:
            message = f"{record_id!r} already used at line {first_seen[record_id]}"
            yield RecordError(position, record_id, "id", message)
            continue
        first_seen[record_id] = position
        yield features

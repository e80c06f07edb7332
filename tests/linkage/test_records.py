"""Validation of raw records, birth-date precision and blocking keys."""

import pytest

from crossroads.linkage.blocking import (
    TIGHT_RULES,
    WIDE_RULES,
    blocking_keys,
    choose_rules,
    count_pairs,
)
from crossroads.linkage.database import feature_table
from crossroads.linkage.dates import BirthDate, parse_birth_date
from crossroads.linkage.records import BadRecord, RecordError, features_with_errors, to_features

PERSON = {
    "id": "1",
    "given_name": "Agron",
    "family_name": "Krasniqi",
    "father_name": "Ahmet",
    "sex": "M",
    "birth_date": "1990-04-12",
    "birth_place": "Prishtinë",
    "citizenship": "Kosovë",
    "document_number": "kx 441-0023",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-04-12", BirthDate(1990, 4, 12)),
        ("1990-04", BirthDate(1990, 4, None)),
        ("1990", BirthDate(1990, None, None)),
        ("", BirthDate()),
        (None, BirthDate()),
        (" 1990 ", BirthDate(1990)),
    ],
)
def test_birth_dates_keep_their_precision(text, expected):
    assert parse_birth_date(text) == expected


@pytest.mark.parametrize("text", ["12.04.1990", "1990-13", "1990-02-30", "90", "1700", "1990-4-1"])
def test_unparseable_birth_dates_are_rejected(text):
    with pytest.raises(ValueError):
        parse_birth_date(text)


def test_only_full_dates_have_an_iso_form():
    assert parse_birth_date("1990-04-12").iso == "1990-04-12"
    assert parse_birth_date("1990-04").iso is None


def test_features_hold_folded_keys():
    features = to_features(PERSON)
    assert features["unique_id"] == "1"
    assert features["given"] == "agron"
    assert features["family"] == "krasnic"
    assert features["citizenship"] == "XK"
    assert features["document"] == "KX4410023"
    assert (features["birth_year"], features["birth_month"], features["birth_day"]) == (1990, 4, 12)


def test_blank_fields_become_missing_not_equal():
    features = to_features({"id": "2", "given_name": "Agron"})
    assert features["family"] is None
    assert features["birth_year"] is None
    assert features["sex"] is None
    assert features["name_pair"] is None


@pytest.mark.parametrize(("field", "value"), [("sex", "X"), ("birth_date", "12/04/1990"), ("id", " ")])
def test_bad_fields_are_named(field, value):
    with pytest.raises(BadRecord) as caught:
        to_features({**PERSON, field: value})
    assert caught.value.field == field


def test_errors_carry_positions_and_duplicate_ids_are_errors():
    records = [PERSON, {**PERSON, "sex": "?"}, PERSON, {**PERSON, "id": "9", "_line": 40}]
    items = list(features_with_errors(records))
    errors = [item for item in items if isinstance(item, RecordError)]
    assert [(e.position, e.field) for e in errors] == [(2, "sex"), (3, "id")]
    assert "already used at line 1" in errors[1].message
    assert sum(1 for item in items if isinstance(item, dict)) == 2


def test_blocking_keys_survive_script_and_order_changes():
    cyrillic_swapped = {
        **PERSON,
        "given_name": "Краснићи",
        "family_name": "Агрон",
        "citizenship": "RS",
        "document_number": "",
    }
    shared = blocking_keys(PERSON) & blocking_keys(cyrillic_swapped)
    assert "names:agron|krasnic" in shared
    assert "birthdate:1990-04-12" in shared


def test_blocking_keys_skip_missing_fields():
    keys = blocking_keys({"id": "3", "given_name": "Agron", "family_name": "Krasniqi"})
    assert keys == {"names:agron|krasnic", "name-prefixes:agr|kra"}


def test_tight_rules_are_chosen_when_wide_ones_exceed_the_budget():
    rows = [to_features({**PERSON, "id": str(i), "document_number": ""}) for i in range(30)]
    table = feature_table(rows)
    wide = count_pairs([table], WIDE_RULES)
    assert wide == 435 * 10  # 30 records alike: every pair under each of ten rules
    assert choose_rules([table], budget=wide) == WIDE_RULES
    assert choose_rules([table], budget=wide - 1) == TIGHT_RULES

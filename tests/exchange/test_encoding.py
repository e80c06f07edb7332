"""Encodings of persons: cross-script matching, determinism, keys, validation, wire form."""

from dataclasses import replace
from datetime import date

import pytest

from crossroads.exchange.comparison import DEFAULT_THRESHOLD, compare, dice, link
from crossroads.exchange.encoding import (
    DEFAULT_SCHEMA,
    Encoding,
    EncodingError,
    EncodingInput,
    derive_field_keys,
    encode,
    encode_many,
    features,
)
from crossroads.exchange.encoding_keys import WeakSecret

SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))

XHAFER_ALBANIAN = EncodingInput(
    given_names="Xhafer",
    family_name="Krasniqi",
    father_name="Agron",
    sex="M",
    birth_date=date(1990, 5, 17),
    place_of_birth="Prishtinë",
)
XHAFER_SERBIAN = EncodingInput(
    given_names="Џафер",
    family_name="Красниќи",
    father_name="Агрон",
    sex="M",
    birth_date=date(1990, 5, 17),
    place_of_birth="Приштина",
)
OTHER_PERSONS = [
    EncodingInput("Marko", "Petrović", "Jovan", "M", date(1985, 2, 3), "exact", "Beograd"),
    EncodingInput("Ana", "Stojanovska", "Goran", "F", date(2001, 11, 30), "exact", "Skopje"),
    # A sister of Xhafer: same family, father and place, other name and year.
    EncodingInput("Drita", "Krasniqi", "Agron", "F", date(1994, 8, 2), "exact", "Prishtinë"),
]


def density(encoding: Encoding) -> float:
    return sum(bin(byte).count("1") for byte in encoding.bits) / (8 * len(encoding.bits))


def score(a: EncodingInput, b: EncodingInput, secret: bytes = SECRET) -> float:
    first, second = encode_many([a, b], secret)
    return dice(first.bits, second.bits)


def test_albanian_and_serbian_cyrillic_spellings_of_one_person_match():
    assert score(XHAFER_ALBANIAN, XHAFER_SERBIAN) >= 0.95


@pytest.mark.parametrize(
    "variant",
    [
        # Name order swapped, surname written the South Slavic Latin way.
        replace(XHAFER_ALBANIAN, given_names="Krasnić", family_name="Džafer"),
        # Estimated age: the year only, one off.
        replace(XHAFER_ALBANIAN, birth_date=date(1991, 1, 1), birth_precision="age"),
        # A day mistyped, the father's name not recorded.
        replace(XHAFER_ALBANIAN, birth_date=date(1990, 5, 18), father_name=""),
        # Albanian definite forms and a dropped final ë.
        replace(XHAFER_ALBANIAN, given_names="Xhaferi", place_of_birth="Prishtina"),
    ],
)
def test_variants_of_one_person_stay_above_the_threshold(variant):
    assert score(XHAFER_SERBIAN, variant) >= DEFAULT_THRESHOLD


def test_day_and_month_written_swapped_keep_the_match():
    born = replace(XHAFER_ALBANIAN, birth_date=date(1990, 5, 7))
    assert score(born, replace(XHAFER_SERBIAN, birth_date=date(1990, 7, 5))) >= DEFAULT_THRESHOLD


def test_precision_decides_which_date_features_exist():
    exact = features(XHAFER_ALBANIAN)
    month = features(replace(XHAFER_ALBANIAN, birth_precision="month"))
    year = features(replace(XHAFER_ALBANIAN, birth_precision="year"))
    age = features(replace(XHAFER_ALBANIAN, birth_precision="age"))
    assert exact["monthday"] == {"m5", "d17", "n5", "n17"} and month["monthday"] == {"m5", "n5"}
    assert year["monthday"] == age["monthday"] == set()
    assert exact["year"] == year["year"] == {"y1989", "y1990", "y1991"} < age["year"]


@pytest.mark.parametrize("other", OTHER_PERSONS)
def test_different_persons_score_below_the_threshold(other):
    assert score(XHAFER_ALBANIAN, other) < DEFAULT_THRESHOLD


def test_encoding_is_deterministic_and_independent_of_the_batch():
    alone = encode(XHAFER_ALBANIAN, SECRET)
    in_batch = encode_many([OTHER_PERSONS[0], XHAFER_ALBANIAN], SECRET)[1]
    assert alone == in_batch == encode(XHAFER_ALBANIAN, bytearray(SECRET))
    assert len(alone.bits) * 8 == DEFAULT_SCHEMA.length == 1024
    assert alone.schema == DEFAULT_SCHEMA.id


def test_another_secret_gives_unrelated_filters():
    mine = encode(XHAFER_ALBANIAN, SECRET)
    theirs = encode(XHAFER_ALBANIAN, OTHER_SECRET)
    # Independent filters of densities a and b share a*b of their positions by
    # chance: Dice 2ab / (a + b). Same-key filters of the person would score 1.
    a, b = density(mine), density(theirs)
    assert abs(dice(mine.bits, theirs.bits) - 2 * a * b / (a + b)) < 0.06
    assert compare([mine], [replace(theirs, key_id="")], blocking=False) == []
    # The public key ids tell the hub not to compare them at all.
    assert mine.key_id != theirs.key_id
    with pytest.raises(EncodingError) as raised:
        compare([mine], [theirs])
    assert raised.value.field == "key_id"


def test_each_field_and_the_diffusion_layer_get_their_own_key():
    keys = derive_field_keys(SECRET)
    check = {"check-name", "check-name-diffusion", "check-father", "check-father-diffusion"}
    assert set(keys) == {name for name, _ in DEFAULT_SCHEMA.bits_per_feature} | {"diffusion"} | check
    assert len(set(keys.values())) == len(keys)
    assert derive_field_keys(OTHER_SECRET)["name"] != keys["name"]


@pytest.mark.parametrize("secret", [b"", b"short secret", "a text, not bytes" * 4])
def test_weak_or_missing_secrets_are_refused(secret):
    with pytest.raises(WeakSecret, match="secret"):
        encode(XHAFER_ALBANIAN, secret)


@pytest.mark.parametrize(
    ("person", "field"),
    [
        (EncodingInput(given_names="", family_name=""), "family_name"),
        (replace(XHAFER_ALBANIAN, sex="female"), "sex"),
        (replace(XHAFER_ALBANIAN, birth_precision="decade"), "birth_precision"),
        (replace(XHAFER_ALBANIAN, birth_date="1990-05-17"), "birth_date"),
    ],
)
def test_invalid_input_names_the_field(person, field):
    with pytest.raises(EncodingError) as raised:
        encode(person, SECRET)
    assert raised.value.field == field


def test_wire_form_round_trips_and_rejects_tampering():
    encoding = encode(XHAFER_ALBANIAN, SECRET)
    wire = encoding.as_dict()
    assert Encoding.from_dict(wire) == encoding
    for field, value in [
        ("schema", "crossroads-clk/0/00000000"),
        ("bits", "not base64!"),
        ("bits", wire["bits"][:-8]),
        ("blocking_keys", [0] * len(encoding.blocking_keys)),
        ("key_id", ["not", "text"]),
        ("bits", 12345),               # wrong types: a named refusal, never a crash
        ("blocking_keys", 7),
    ]:
        with pytest.raises(EncodingError) as raised:
            Encoding.from_dict({**wire, field: value})
        assert raised.value.field == field


def test_input_from_a_registry_person():
    class Person:  # the registry's attribute names
        given_names, family_name, father_name = "Xhafer", "Krasniqi", "Agron"
        sex, birth_date, birth_precision, place_of_birth = "M", date(1990, 5, 17), "exact", "Prishtinë"

    assert EncodingInput.from_person(Person()) == XHAFER_ALBANIAN


def test_one_to_one_linkage_pairs_each_person_once():
    left = encode_many([XHAFER_ALBANIAN, *OTHER_PERSONS], SECRET)
    right = encode_many([OTHER_PERSONS[1], XHAFER_SERBIAN, OTHER_PERSONS[0]], SECRET)
    assert sorted((i, j) for i, j, _ in link(left, right)) == [(0, 1), (1, 2), (2, 0)]

"""The hub's second stage: check segments tell a twin, sibling or namesake from the
person, with nothing in clear; the same person written differently still matches."""

import json
from dataclasses import replace

import pytest

from crossroads.exchange import matching
from crossroads.exchange.comparison import DEFAULT_THRESHOLD, compare, dice
from crossroads.exchange.encoding import DEFAULT_SCHEMA, Encoding, EncodingError, encode_many

from .test_encoding import SECRET
from .test_encoding import XHAFER_ALBANIAN as PERSON
from .test_encoding import XHAFER_SERBIAN as SAME_IN_CYRILLIC

TWIN = replace(PERSON, given_names="Arben")
NAMESAKE = replace(PERSON, father_name="Bujar")


def pairs(left, right, **options):
    return {(i, j) for i, j, _ in compare(encode_many(left, SECRET), encode_many(right, SECRET), **options)}


def test_a_twin_reaches_the_threshold_on_dice_alone_but_is_no_hit():
    first, twin = encode_many([PERSON, TWIN], SECRET)
    assert dice(first.bits, twin.bits) >= DEFAULT_THRESHOLD
    assert pairs([PERSON], [TWIN], check=False) == {(0, 0)}
    assert pairs([PERSON], [TWIN]) == set()


def test_a_namesake_with_another_father_is_no_hit():
    assert pairs([PERSON], [NAMESAKE], check=False) == {(0, 0)}
    assert pairs([PERSON], [NAMESAKE]) == set()


@pytest.mark.parametrize(
    "variant",
    [
        SAME_IN_CYRILLIC,
        replace(SAME_IN_CYRILLIC, father_name=""),  # father unknown on one side: no evidence
        replace(PERSON, given_names="Krasniqi", family_name="Xhafer"),  # names swapped
        replace(PERSON, given_names="Xhaferi"),  # a variant of the given name
    ],
)
def test_the_same_person_written_differently_is_still_a_hit(variant):
    assert pairs([PERSON], [variant]) == {(0, 0)}


def test_the_hub_applies_the_second_stage_to_stored_encodings():
    persons = [PERSON, SAME_IN_CYRILLIC, TWIN, NAMESAKE]
    stored = [json.dumps(e.as_dict()) for e in encode_many(persons, SECRET)]
    candidates = [("same", stored[1]), ("twin", stored[2]), ("namesake", stored[3])]
    found = matching.hub_matches(stored[0], candidates)
    assert [candidate for candidate, _ in found] == ["same"]


def test_an_encoding_held_under_the_earlier_schema_is_skipped_not_an_error():
    new, old = (json.dumps(e.as_dict()) for e in encode_many([PERSON, SAME_IN_CYRILLIC], SECRET))
    earlier = json.loads(old)
    earlier["schema"] = "crossroads-clk/1/00000000"
    assert matching.hub_matches(new, [("old", json.dumps(earlier)), ("same", old)])[0][0] == "same"
    assert [c for c, _ in matching.hub_matches(new, [("old", json.dumps(earlier))])] == []


@pytest.mark.parametrize("check", [None, "", "AAAA", "not base64!"])
def test_check_segments_missing_short_or_garbled_are_refused(check):
    data = encode_many([PERSON], SECRET)[0].as_dict()
    if check is None:
        del data["check"]
    else:
        data["check"] = check
    with pytest.raises(EncodingError) as raised:
        Encoding.from_dict(data)
    assert raised.value.field == "check"


def test_check_segments_have_the_schema_length_and_are_keyed():
    encoding = encode_many([PERSON], SECRET)[0]
    assert len(encoding.check) * 8 == DEFAULT_SCHEMA.check_length == 3 * 512
    # Keyed: another secret gives other segments for the same person.
    assert encode_many([PERSON], bytes(range(1, 33)))[0].check != encoding.check

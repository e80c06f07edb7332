"""Blocking at the hub: recall on a synthetic cross-border set, and what it costs."""

import random
from datetime import date, timedelta

import numpy as np
import pytest

from crossroads.demo.names import JURISDICTIONS, random_name, record_variant
from crossroads.demo.places import place_variant, random_place
from crossroads.exchange.blocking import blocking_keys, candidate_pairs
from crossroads.exchange.comparison import DEFAULT_THRESHOLD, EncodingIndex, compare
from crossroads.exchange.encoding import DEFAULT_SCHEMA, EncodingInput, encode_many

SECRET = b"\x11" * 32


def recorded(rng: random.Random, person: dict, jurisdiction: str) -> EncodingInput:
    """The person as an officer of `jurisdiction` writes them: script, orthography,
    typos; sometimes only an estimated year of birth."""
    name = record_variant(rng, person["name"], jurisdiction, person["sex"])
    birth, precision = person["birth"], "exact"
    if rng.random() < 0.1:
        birth, precision = birth.replace(year=birth.year + rng.choice((-1, 0, 1)), month=1, day=1), "age"
    return EncodingInput(
        given_names=name.given_name,
        family_name=name.family_name,
        father_name=name.father_name,
        sex=person["sex"],
        birth_date=birth,
        birth_precision=precision,
        place_of_birth=place_variant(rng, person["place"], jurisdiction),
    )


@pytest.fixture(scope="module")
def cross_border():
    """400 persons, each recorded in two jurisdictions, plus 200 recorded once per side."""
    rng = random.Random(2026)
    persons = []
    for _ in range(600):
        home, sex = rng.choice(JURISDICTIONS), rng.choice("FM")
        name = random_name(rng, home, sex)
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(18000))
        persons.append(
            {
                "home": home,
                "sex": sex,
                "name": name,
                "birth": birth,
                "place": random_place(rng, home, name.script),
            }
        )
    left, right, truth = [], [], set()
    for number, person in enumerate(persons):
        first, second = rng.sample(JURISDICTIONS, 2)
        if number < 400:
            truth.add((len(left), len(right)))
            left.append(recorded(rng, person, first))
            right.append(recorded(rng, person, second))
        else:
            (left if number % 2 else right).append(recorded(rng, person, first))
    return encode_many(left, SECRET), encode_many(right, SECRET), truth


def test_blocking_finds_almost_every_true_pair_among_few_candidates(cross_border):
    left, right, truth = cross_border
    rows, columns = candidate_pairs(EncodingIndex.build(left).keys, EncodingIndex.build(right).keys)
    candidates = set(zip(rows.tolist(), columns.tolist(), strict=True))
    assert len(candidates & truth) / len(truth) >= 0.97
    assert len(candidates) <= 0.1 * len(left) * len(right)


def test_blocked_comparison_keeps_the_hits_of_the_full_comparison(cross_border):
    left, right, truth = cross_border
    blocked = {(i, j) for i, j, _ in compare(left, right)}
    full = {(i, j) for i, j, _ in compare(left, right, blocking=False)}
    assert blocked <= full
    assert len(blocked) >= 0.98 * len(full)
    assert len(blocked & truth) / len(truth) >= 0.95


def test_hits_are_best_first_and_above_the_threshold(cross_border):
    left, right, _ = cross_border
    scores = [score for _, _, score in compare(left[:50], right)]
    assert scores == sorted(scores, reverse=True)
    assert min(scores) >= DEFAULT_THRESHOLD


def test_blocking_keys_are_a_public_function_of_the_filter(cross_border):
    """The hub can recompute every key from the bits it holds: keys reveal nothing
    the filter does not, and a node cannot send keys that disagree with its bits."""
    left, right, _ = cross_border
    for encoding in left[:20]:
        assert encoding.blocking_keys == blocking_keys(encoding.bits, DEFAULT_SCHEMA)
        assert len(set(encoding.blocking_keys)) == DEFAULT_SCHEMA.band_count
    # The join works on the keys as stored with each encoding.
    stored = [np.array([e.blocking_keys for e in side]) for side in (left[:30], right)]
    rows, columns = candidate_pairs(*stored)
    sharing = {
        (i, j)
        for i, a in enumerate(left[:30])
        for j, b in enumerate(right)
        if set(a.blocking_keys) & set(b.blocking_keys)
    }
    assert set(zip(rows.tolist(), columns.tolist(), strict=True)) == sharing


def test_empty_inputs_compare_to_nothing(cross_border):
    left, _, _ = cross_border
    assert compare([], left) == compare(left, []) == []
    assert np.array_equal(candidate_pairs(np.zeros((0, 3), np.uint64), np.zeros((5, 3), np.uint64))[0], [])

"""What the hub, which lacks the secret, can and cannot read from the encodings."""

import hashlib
import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from crossroads.demo.names import JURISDICTIONS, random_name
from crossroads.demo.places import random_place
from crossroads.exchange.comparison import dice
from crossroads.exchange.encoding import DEFAULT_SCHEMA, EncodingInput, bit_matrix, encode_many, features

SECRET = b"\x5a" * 32
UNDIFFUSED = replace(DEFAULT_SCHEMA, name="crossroads-clk-undiffused", diffusion_taps=0)


def population(size: int, frequent_share: float = 0.0, seed: int = 7) -> list[EncodingInput]:
    """Synthetic persons of the region; a `frequent_share` of them are called "Ana"."""
    rng = random.Random(seed)
    persons = []
    for _ in range(size):
        jurisdiction, sex = rng.choice(JURISDICTIONS), rng.choice("FM")
        name = random_name(rng, jurisdiction, sex)
        persons.append(
            EncodingInput(
                given_names="Ana" if rng.random() < frequent_share else name.given_name,
                family_name=name.family_name,
                father_name=name.father_name,
                sex=sex,
                birth_date=date(rng.randint(1960, 2008), rng.randint(1, 12), rng.randint(1, 28)),
                place_of_birth=random_place(rng, jurisdiction, name.script),
            )
        )
    return persons


def bits(persons, schema=DEFAULT_SCHEMA) -> np.ndarray:
    return np.unpackbits(bit_matrix(encode_many(persons, SECRET, schema=schema), schema), axis=1)


def unkeyed_filter(person: EncodingInput) -> bytes:
    """What a hub without the secret can compute: the same features, hashed unkeyed."""
    filter_bits = np.zeros(DEFAULT_SCHEMA.length, dtype=np.uint8)
    for field, tokens in features(person).items():
        for token in tokens:
            digest = hashlib.sha512(f"{field}:{token}".encode()).digest()
            positions = np.frombuffer(digest, dtype="<u2")[: DEFAULT_SCHEMA.weights[field]]
            filter_bits[positions % DEFAULT_SCHEMA.length] = 1
    return np.packbits(filter_bits).tobytes()


def test_a_dictionary_attack_without_the_key_finds_nothing():
    persons = population(200)
    encodings = encode_many(persons, SECRET)
    for person, encoding in zip(persons, encodings, strict=True):
        guess = unkeyed_filter(person)
        guess_bits = np.unpackbits(np.frombuffer(guess, dtype=np.uint8))
        held = np.unpackbits(np.frombuffer(encoding.bits, dtype=np.uint8))
        # The guessed filter of the right plaintext is no closer to the encoding than
        # chance: the share of its ones that the encoding also has is the density.
        assert abs(guess_bits[held == 1].mean() - guess_bits.mean()) < 0.12
        assert dice(guess, encoding.bits) < 0.5


def test_no_output_bit_marks_a_frequent_name():
    """Pattern-mining attacks look for the positions that every record with a
    frequent q-gram sets. Without diffusion the bigrams of "Ana" own such positions;
    with it, an output bit is the XOR of three inputs, and few come close."""
    persons = population(1500, frequent_share=0.3)
    is_ana = np.array([person.given_names == "Ana" for person in persons])
    plain, diffused = bits(persons, UNDIFFUSED), bits(persons)
    marking_plain = (plain[is_ana].mean(axis=0) == 1.0).sum()
    assert marking_plain >= 15  # 4 bigrams x 7 bits, less collisions
    assert (diffused[is_ana].mean(axis=0) == 1.0).sum() <= 1
    assert (diffused[is_ana].mean(axis=0) >= 0.95).sum() <= marking_plain / 5


def test_column_frequencies_are_flatter_under_diffusion():
    """Frequency attacks align the most frequent positions with the most frequent
    q-grams; diffusion narrows the spread of the positions' frequencies."""
    persons = population(1500, frequent_share=0.3)
    plain, diffused = bits(persons, UNDIFFUSED).mean(axis=0), bits(persons).mean(axis=0)
    assert diffused.max() < plain.max() - 0.05
    assert diffused.std() < plain.std()


@pytest.mark.parametrize("schema", [DEFAULT_SCHEMA, UNDIFFUSED])
def test_hardening_keeps_close_records_close(schema):
    persons = population(50)
    typos = [replace(p, given_names=p.given_names[:-1] + "x") for p in persons]
    same = encode_many(persons, SECRET, schema=schema)
    typoed = encode_many(typos, SECRET, schema=schema)
    scores = [dice(a.bits, b.bits) for a, b in zip(same, typoed, strict=True)]
    others = [dice(a.bits, b.bits) for a, b in zip(same, typoed[1:], strict=False)]
    assert min(scores) > np.quantile(others, 0.95)

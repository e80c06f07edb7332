"""Seeded synthetic Balkan persons recorded by officers of several jurisdictions.

Names and places come from `crossroads.demo` (which shares no code with the matcher).
Each person has a home jurisdiction, sex, name, date and place of birth and a passport;
each record of them is written the way an officer of the recording jurisdiction would
(script, orthography, typos, swapped names, missing father), with partial, estimated
or garbled dates. Hard negatives are separate persons: siblings (same family, father
and place, another given name and year), twins (the same, born the same day) and
namesakes (same given and family name, another father).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

from layout import write_records, write_truth

from crossroads.demo.names import (
    JURISDICTIONS,
    SyntheticName,
    namesake,
    random_name,
    record_variant,
    sibling_of,
)
from crossroads.demo.places import place_variant, random_place

_NEIGHBOURS = {
    "AL": ("XK", "MK", "ME"),
    "XK": ("AL", "RS", "MK", "ME"),
    "RS": ("XK", "BA", "ME", "MK"),
    "MK": ("AL", "XK", "RS"),
    "BA": ("RS", "ME"),
    "ME": ("AL", "XK", "RS", "BA"),
}
# How an officer of each jurisdiction writes each citizenship (besides the ISO code).
_CITIZENSHIP_WORDS = {
    "AL": {"sq": "Shqipëri", "sr": "Албанија", "latn": "Albanija"},
    "XK": {"sq": "Kosovë", "sr": "Косово", "latn": "Kosovo"},
    "RS": {"sq": "Serbi", "sr": "Србија", "latn": "Srbija"},
    "MK": {"sq": "Maqedoni e Veriut", "sr": "Северна Македонија", "latn": "Sjeverna Makedonija"},
    "BA": {"sq": "Bosnjë", "sr": "Босна и Херцеговина", "latn": "Bosna i Hercegovina"},
    "ME": {"sq": "Mali i Zi", "sr": "Црна Гора", "latn": "Crna Gora"},
}
_OFFICER_LANGUAGE = {"AL": "sq", "XK": "sq", "RS": "sr", "MK": "sr", "BA": "latn", "ME": "latn"}
_EARLIEST_BIRTH = date(1955, 1, 1)
_BIRTH_SPAN_DAYS = (date(2009, 12, 31) - _EARLIEST_BIRTH).days


@dataclass(frozen=True)
class Person:
    person_id: int
    home: str
    sex: str
    name: SyntheticName
    birth: date
    place: str
    passport: str


def _passport(rng: random.Random, home: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVZ"
    return rng.choice(letters) + rng.choice(letters) + f"{rng.randrange(10**7):07d}"


def _random_birth(rng: random.Random) -> date:
    return _EARLIEST_BIRTH + timedelta(days=rng.randrange(_BIRTH_SPAN_DAYS))


def new_person(rng: random.Random, person_id: int) -> Person:
    home = rng.choice(JURISDICTIONS)
    sex = rng.choice("MF")
    name = random_name(rng, home, sex)
    place = random_place(rng, home, name.script)
    return Person(person_id, home, sex, name, _random_birth(rng), place, _passport(rng, home))


def _shifted_birth(rng: random.Random, birth: date, years: int) -> date:
    try:
        return birth.replace(year=birth.year + years) + timedelta(days=rng.randrange(-150, 150))
    except ValueError:
        return birth + timedelta(days=365 * years)


def hard_negative(rng: random.Random, person: Person, kind: str, person_id: int) -> Person:
    """A sibling, twin or namesake of `person`: a different person who looks alike."""
    if kind == "namesake":
        birth = _shifted_birth(rng, person.birth, rng.randint(-6, 6))
        place = random_place(rng, person.home, person.name.script)
        name = namesake(rng, person.name)
        return Person(person_id, person.home, person.sex, name, birth, place, _passport(rng, person.home))
    sex = rng.choice("MF")
    name = sibling_of(rng, person.name, sex)
    if kind == "twin":
        birth = person.birth
    else:
        birth = _shifted_birth(rng, person.birth, rng.choice((-1, 1)) * rng.randint(1, 12))
    return Person(person_id, person.home, sex, name, birth, person.place, _passport(rng, person.home))


def _written_birth(rng: random.Random, birth: date) -> str:
    """The birth date at the precision and with the errors an officer might record."""
    r = rng.random()
    if r < 0.05:
        return ""
    if r < 0.12:  # age estimated: year only, often a year off
        return str(birth.year + rng.choice((0, 0, -1, 1)))
    if r < 0.15:
        return f"{birth.year:04d}-{birth.month:02d}"
    if r < 0.19 and birth.day <= 12 and birth.day != birth.month:
        return f"{birth.year:04d}-{birth.day:02d}-{birth.month:02d}"
    if r < 0.21:  # one digit of the day mistyped
        day = min(28, max(1, birth.day + rng.choice((-1, 1, 10, -10))))
        return f"{birth.year:04d}-{birth.month:02d}-{day:02d}"
    return birth.isoformat()


def _written_citizenship(rng: random.Random, person: Person, recorder: str) -> str:
    r = rng.random()
    if r < 0.15:
        return ""
    if r < 0.5:
        return person.home
    return _CITIZENSHIP_WORDS[person.home][_OFFICER_LANGUAGE[recorder]]


def _written_document(rng: random.Random, person: Person) -> str:
    r = rng.random()
    if r < 0.45:
        return person.passport
    if r < 0.75:  # a local registration number, never the same twice
        return f"{rng.randrange(10**9):09d}"
    return ""


def record_of(rng: random.Random, person: Person, recorder: str, record_id: str) -> dict:
    name = record_variant(rng, person.name, recorder, person.sex)
    place = place_variant(rng, person.place, recorder) if rng.random() < 0.9 else ""
    return {
        "id": record_id,
        "given_name": name.given_name,
        "family_name": name.family_name,
        "father_name": name.father_name,
        "sex": person.sex if rng.random() < 0.97 else "",
        "birth_date": _written_birth(rng, person.birth),
        "birth_place": place,
        "citizenship": _written_citizenship(rng, person, recorder),
        "document_number": _written_document(rng, person),
        "address": "",
    }


def _recorder(rng: random.Random, person: Person) -> str:
    return person.home if rng.random() < 0.4 else rng.choice(_NEIGHBOURS[person.home])


def _with_hard_negatives(rng: random.Random, persons: list[Person], start_id: int) -> list[Person]:
    extra = []
    for person in persons:
        for kind, rate in (("sibling", 0.3), ("twin", 0.08), ("namesake", 0.2)):
            if rng.random() < rate:
                extra.append(hard_negative(rng, person, kind, start_id + len(extra)))
    return extra


def write_cross_border(directory: Path, persons: int = 4000, seed: int = 20251129) -> dict:
    """Two sets recorded by different jurisdictions: `persons` people in both, plus
    hard negatives and as many people again recorded on one side only."""
    rng = random.Random(seed)
    matched = [new_person(rng, i) for i in range(persons)]
    negatives = _with_hard_negatives(rng, matched, persons)
    singles = [new_person(rng, persons + len(negatives) + i) for i in range(persons // 2)]
    left, right, truth = [], [], []
    for person in matched:
        first = _recorder(rng, person)
        second = rng.choice([j for j in (person.home, *_NEIGHBOURS[person.home]) if j != first])
        left_id, right_id = f"L{len(left):06d}", f"R{len(right):06d}"
        left.append(record_of(rng, person, first, left_id))
        right.append(record_of(rng, person, second, right_id))
        truth.append((left_id, right_id))
    for person in negatives + singles:
        side = left if rng.random() < 0.5 else right
        prefix = "L" if side is left else "R"
        side.append(record_of(rng, person, _recorder(rng, person), f"{prefix}{len(side):06d}"))
    rng.shuffle(left)
    rng.shuffle(right)
    paths = {
        "left": directory / "balkan_left.csv",
        "right": directory / "balkan_right.csv",
        "truth": directory / "balkan_truth.csv",
    }
    write_records(paths["left"], left)
    write_records(paths["right"], right)
    write_truth(paths["truth"], truth)
    return paths


def write_dedupe_set(directory: Path, size: int, seed: int = 1) -> dict:
    """About `size` records of people recorded one to three times, hard negatives included."""
    rng = random.Random(seed)
    records, truth = [], []
    next_person = 0
    while len(records) < size:
        batch = [new_person(rng, next_person + i) for i in range(1000)]
        batch += _with_hard_negatives(rng, batch, next_person + len(batch))
        next_person += len(batch)
        for person in batch:
            copies = rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0]
            ids = [f"P{len(records) + k:07d}" for k in range(copies)]
            for record_id in ids:
                records.append(record_of(rng, person, _recorder(rng, person), record_id))
            truth.extend(combinations(ids, 2))
    paths = {
        "input": directory / f"balkan_dedupe_{size}.csv",
        "truth": directory / f"balkan_dedupe_{size}_truth.csv",
    }
    write_records(paths["input"], records)
    write_truth(paths["truth"], truth)
    return paths

"""One demo node per jurisdiction, and the persons the region's nodes hold in common.

`crossroads region up` runs a node for each jurisdiction; each is seeded here with a few
hundred synthetic persons in its own scripts and orthography (see `names.py`), plus its records
of the **cross-border persons**: for every two jurisdictions, the same synthetic persons
recorded once at each, as an officer there would write them (Albanian spelling at AL, Serbian
Cyrillic or Latin at RS, ...), with the date of birth known to the day at home but often only
to the month, the year or as an estimated age abroad. The list is derived from the seed alone,
so every node of a region holds its part of the same list; each node keeps its part as ground
truth in `CrossBorderRecord` (the key names the synthetic person, not a node's row).
"""

from __future__ import annotations

import datetime
import itertools
import random
from dataclasses import dataclass

from crossroads.registry.choices import InvolvementRole
from crossroads.registry.national_ids import generate_albanian_personal_number, generate_jmbg

from .models import CrossBorderRecord
from .names import JURISDICTIONS, SyntheticName, random_name, record_variant
from .places import place_variant, random_place
from .seed import JMBG_REGIONS, YEARS, Seeder, Totals, seed_jurisdiction

PERSONS_PER_CASE = 2.5  # victims and suspects a demo case holds on average (see Seeder.build)
PER_PAIR = 3  # cross-border persons for every two jurisdictions
SHARED_PHONE_SOURCE = "demo: a suspect's phone that two jurisdictions recorded"
# How precisely the other jurisdiction knows the date of birth.
ABROAD_PRECISION = (("exact", 45), ("month", 15), ("year", 25), ("age", 15))


@dataclass(frozen=True)
class Recorded:
    """One jurisdiction's record of a cross-border person."""

    jurisdiction: str
    name: SyntheticName
    birth_date: datetime.date
    birth_precision: str
    place_of_birth: str
    documents: tuple[tuple[str, str, str], ...]  # (type, number, issuing country)


@dataclass(frozen=True)
class CrossBorderPerson:
    key: str  # e.g. "XB-AL-RS-2": stable across nodes, the ground truth of a hit
    sex: str
    origin: str  # the jurisdiction of citizenship, which records the person as at home
    year: int  # year the exploitation came to light
    records: tuple[Recorded, Recorded]

    def at(self, jurisdiction: str) -> Recorded | None:
        return next((r for r in self.records if r.jurisdiction == jurisdiction), None)


def _document(rng: random.Random, origin: str, born: datetime.date, sex: str):
    if origin == "AL":
        return ("al_personal_number", generate_albanian_personal_number(rng, born, sex), "AL")
    return ("jmbg", generate_jmbg(rng, born, sex, JMBG_REGIONS[origin]), origin)


def _abroad_birth(rng: random.Random, born: datetime.date) -> tuple[datetime.date, str]:
    precision = rng.choices(*zip(*ABROAD_PRECISION, strict=True))[0]
    if precision == "month":
        return born.replace(day=1), precision
    if precision == "year":
        return born.replace(month=1, day=1), precision
    if precision == "age":  # an estimated age: the year is sometimes one off
        return datetime.date(born.year + rng.choice((0, 0, 0, -1, 1)), 1, 1), precision
    return born, precision


def _person(seed: int, first: str, second: str, index: int) -> CrossBorderPerson:
    rng = random.Random(f"{seed}-crossborder-{first}-{second}-{index}")
    origin, abroad = (first, second) if rng.random() < 0.5 else (second, first)
    sex = "F" if rng.random() < 0.75 else "M"
    year = rng.choice(YEARS)
    born = datetime.date(year - rng.randint(16, 40), rng.randint(1, 12), rng.randint(1, 28))
    name = random_name(rng, origin, sex)
    place = random_place(rng, origin, name.script)
    document = _document(rng, origin, born, sex) if rng.random() < 0.6 else None
    home = Recorded(origin, name, born, "exact", place, (document,) if document else ())
    abroad_born, precision = _abroad_birth(rng, born)
    carried = (document,) if document and rng.random() < 0.3 else ()  # the ID card shown abroad
    away = Recorded(abroad, record_variant(rng, name, abroad, sex, typo_rate=0.1), abroad_born,
                    precision, place_variant(rng, place, abroad), carried)
    records = (home, away) if origin == first else (away, home)
    return CrossBorderPerson(f"XB-{first}-{second}-{index}", sex, origin, year, records)


def cross_border_persons(seed: int, per_pair: int = PER_PAIR) -> list[CrossBorderPerson]:
    """The region's cross-border persons: `per_pair` for every two jurisdictions, from `seed`."""
    return [_person(seed, a, b, i) for a, b in itertools.combinations(JURISDICTIONS, 2)
            for i in range(1, per_pair + 1)]


def persons_at(seed: int, jurisdiction: str, per_pair: int = PER_PAIR):
    """The cross-border persons a node of `jurisdiction` holds, with its record of each."""
    return [(p, p.at(jurisdiction)) for p in cross_border_persons(seed, per_pair)
            if p.at(jurisdiction)]


def _add_to_rows(seeder: Seeder, rows: dict, held, first_number: int) -> list:
    """A case at the node for each held cross-border person, the person its victim."""
    people = []
    for number, (crossing, recorded) in enumerate(held, start=first_number):
        case, opened, progress = seeder.case(number, crossing.year)
        case._progress = progress
        person = seeder.person(crossing.origin, crossing.sex, opened, name=recorded.name)
        person.birth_date, person.birth_precision = recorded.birth_date, recorded.birth_precision
        person.place_of_birth = recorded.place_of_birth
        person._documents = list(recorded.documents)
        rows["cases"].append(case)
        rows["persons"].append(person)
        rows["involvements"].append((person, case, InvolvementRole.VICTIM))
        rows["records"].append((case, person, opened))
        people.append((crossing, person))
    return people


def seed_node(seed: int, jurisdiction: str, persons: int, per_pair: int = PER_PAIR) -> Totals:
    """Seed one jurisdiction with about `persons` persons and its cross-border records."""
    if jurisdiction not in JURISDICTIONS:
        raise ValueError(f"unknown jurisdiction {jurisdiction!r}; one of {', '.join(JURISDICTIONS)}")
    held = persons_at(seed, jurisdiction, per_pair)
    cases = max(1, round((persons - len(held)) / PERSONS_PER_CASE))
    added = []

    def add_cross_border(seeder, rows):
        added.extend(_add_to_rows(seeder, rows, held, cases + 1))

    totals = seed_jurisdiction(seed, jurisdiction, cases, extra=add_cross_border)
    CrossBorderRecord.objects.bulk_create(
        CrossBorderRecord(person=person, key=crossing.key,
                          partner=next(r.jurisdiction for r in crossing.records
                                       if r.jurisdiction != jurisdiction))
        for crossing, person in added)
    _consent_to_cross_border(jurisdiction, [person for _crossing, person in added])
    _record_shared_phones(jurisdiction)
    totals.cross_border = len(added)
    return totals


def shared_phones(jurisdiction: str) -> dict[str, str]:
    """For every other jurisdiction, the phone of a suspect that both recorded (a Serbian
    mobile number numbered by the pair): the ground truth of the region's selector hits."""
    pairs = list(itertools.combinations(JURISDICTIONS, 2))
    return {next(code for code in pair if code != jurisdiction): f"+38164{number:07d}"
            for number, pair in enumerate(pairs, start=1000) if jurisdiction in pair}


def _record_shared_phones(jurisdiction: str) -> None:
    """The node's investigator records each shared phone in a network of one of their cases
    (not H3), as an unidentified caller, so that the exchange offers it to the hub."""
    from crossroads.access.models import User
    from crossroads.access.policy import CHANGE
    from crossroads.networks.services.entities import EntityInput, add_entity
    from crossroads.registry.models import Case

    investigator = User.objects.get(username=f"{jurisdiction.lower()}_investigator")
    case = (Case.objects.restrict(investigator, CHANGE).exclude(handling_code="H3")
            .order_by("pk").first())
    for partner, phone in shared_phones(jurisdiction).items():
        add_entity(investigator, case, EntityInput(
            schema="LegalEntity", source=SHARED_PHONE_SOURCE,
            properties={"name": [f"Caller {phone} (also seen by {partner})"], "phone": [phone]}))


def _consent_to_cross_border(jurisdiction: str, persons) -> None:
    """The cross-border victims agreed to cross-border sharing (their latest answer, after any
    the assistance demo drew at random), so that the exchange may encode them."""
    from crossroads.access.models import User
    from crossroads.assistance.models import Consent

    worker = User.objects.get(username=f"{jurisdiction.lower()}_case_worker")
    Consent.objects.bulk_create(
        Consent(person=person, purpose="cross_border", granted=True, recorded_by=worker,
                agency_id=worker.agency_id) for person in persons)

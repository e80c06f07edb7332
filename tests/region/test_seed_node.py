"""Seeding one region node per jurisdiction, and the cross-border persons' ground truth."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from crossroads.demo.models import CrossBorderRecord
from crossroads.demo.names import JURISDICTIONS
from crossroads.demo.region import PER_PAIR, cross_border_persons, persons_at
from crossroads.registry.models import Person

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
MACEDONIAN_ONLY = re.compile(r"[ЃЌЅѓќѕ]")
SERBIAN_ONLY = re.compile(r"[ЋЂћђ]")
ALBANIAN = re.compile(r"ë|ç|xh|sh|gj|zh|q", re.IGNORECASE)
SLAVIC_LATIN = re.compile(r"[čćžšđ]", re.IGNORECASE)


def seed(tmp_path, code, persons=120, seed_=7):
    call_command("demo", seed=seed_, jurisdiction=code, persons=persons,
                 logins=str(tmp_path / f"{code}.json"))
    return json.loads((tmp_path / f"{code}.json").read_text())


def names(code):
    return [f"{p.given_names} {p.family_name}" for p in Person.objects.filter(jurisdiction=code)]


def test_a_node_holds_one_jurisdiction_in_its_own_scripts(db, tmp_path):
    logins = seed(tmp_path, "MK", persons=150)
    assert {x["jurisdiction"] for x in logins} == {"MK"}
    assert set(logins[0]) == {"username", "password", "role", "agency", "jurisdiction",
                              "api_token", "totp_secret"}
    assert 110 <= Person.objects.count() <= 190
    mk = names("MK")
    assert sum(bool(CYRILLIC.search(n)) for n in mk) > len(mk) / 2
    assert any(MACEDONIAN_ONLY.search(n) for n in mk)
    assert any(ALBANIAN.search(n) and not CYRILLIC.search(n) for n in mk)  # Albanian minority

    seed(tmp_path, "AL", persons=120)
    al = names("AL")
    assert sum(bool(CYRILLIC.search(n)) for n in al) < len(al) / 5  # citizens of MK, from their papers
    assert sum(bool(ALBANIAN.search(n)) for n in al) > len(al) / 3

    seed(tmp_path, "RS", persons=120)
    rs = names("RS")
    assert any(SERBIAN_ONLY.search(n) for n in rs)
    assert any(SLAVIC_LATIN.search(n) and not CYRILLIC.search(n) for n in rs)

    seed(tmp_path, "BA", persons=100)
    ba = names("BA")
    assert sum(bool(CYRILLIC.search(n)) for n in ba) < len(ba) / 10
    assert any(SLAVIC_LATIN.search(n) for n in ba)


def test_each_node_keeps_its_part_of_the_cross_border_ground_truth(db, tmp_path):
    seed(tmp_path, "AL")
    seed(tmp_path, "RS")
    records = list(CrossBorderRecord.objects.select_related("person"))
    assert len(records) == 2 * (len(JURISDICTIONS) - 1) * PER_PAIR
    for code in ("AL", "RS"):
        for crossing, recorded in persons_at(7, code):
            stored = [r for r in records if r.person.jurisdiction_id == code
                      and r.key == crossing.key]
            assert len(stored) == 1
            person = stored[0].person
            assert (person.given_names, person.family_name) == (recorded.name.given_name,
                                                                recorded.name.family_name)
            assert person.birth_precision == recorded.birth_precision
            assert person.involvements.filter(role="victim").exists()
    shared = [r for r in records if r.key.startswith("XB-AL-RS-")]
    assert len(shared) == 2 * PER_PAIR  # both sides of each person: the hits to expect
    assert {(r.person.jurisdiction_id, r.partner) for r in shared} == {("AL", "RS"), ("RS", "AL")}


def test_cross_border_persons_are_written_differently_on_each_side():
    everyone = cross_border_persons(2024)
    assert everyone == cross_border_persons(2024)  # the same list at every node
    assert everyone != cross_border_persons(2025)
    assert len({p.key for p in everyone}) == len(everyone) == 15 * PER_PAIR
    for person in everyone:
        home = person.at(person.origin)
        assert home.birth_precision == "exact"
        abroad = next(r for r in person.records if r is not home)
        assert abs(abroad.birth_date.year - home.birth_date.year) <= 1
    differ = [p for p in everyone if p.records[0].name != p.records[1].name]
    vaguer = [p for p in everyone if {r.birth_precision for r in p.records} != {"exact"}]
    assert len(differ) > 0.7 * len(everyone)
    assert len(vaguer) > 0.3 * len(everyone)
    al_rs = [p for s in range(1, 6) for p in cross_border_persons(s)
             if p.key.startswith("XB-AL-RS-")]
    assert any(CYRILLIC.search(p.at("RS").name.family_name) for p in al_rs)
    assert all(not CYRILLIC.search(p.at("AL").name.family_name) for p in al_rs)


def test_bad_jurisdiction_is_refused_by_name(db, tmp_path):
    with pytest.raises(CommandError, match="--jurisdiction"):
        seed(tmp_path, "HR")
    with pytest.raises(CommandError, match="--persons"):
        call_command("demo", jurisdiction="AL", persons=0, logins=str(tmp_path / "x.json"))

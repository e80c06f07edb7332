"""Each alert rule on crafted audit entries (crossroads.oversight.detection, no database): the
insider's pattern raises the rule's alert, naming the entries behind it; the ordinary pattern
next to it raises nothing."""

import datetime
import itertools

import pytest

from crossroads.oversight import detection
from crossroads.oversight.detection import Context, Entry

T = detection.thresholds()
DAY0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)  # a Monday
_ids = itertools.count(1)


def entry(user, action="read_identity", *, at, object_type="registry.person", object_id="",
          role="investigator", agency=10, **details):
    return Entry(next(_ids), at, user, f"user{user}", role, agency, "AL", action, object_type,
                 str(object_id), details)


def read(user, person, at, via="case page", **kw):
    return entry(user, at=at, object_id=person, via=via, **kw)


def ctx(**kw) -> Context:
    base = Context(teams={1: {100}, 2: {100}, 3: {100}}, person_cases={p: {100} for p in range(1, 60)},
                   victims=set(range(1, 60)), case_agencies={100: {10}})
    for name, value in kw.items():
        setattr(base, name, value)
    return base


def kinds(found):
    return sorted(f.kind for f in found)


def normal_days(user, days=10, per_day=10, hour=9, role="investigator"):
    return [read(user, 1 + i % 50, DAY0 + datetime.timedelta(days=d, minutes=20 * i + 60 * (hour - 9)),
                 role=role)
            for d in range(days) for i in range(per_day)]


def test_volume_far_above_own_and_peers_baseline():
    history = normal_days(1) + normal_days(2) + normal_days(3)
    burst_day = DAY0 + datetime.timedelta(days=11)
    burst = [entry(1, at=burst_day + datetime.timedelta(minutes=i), ids=list(range(1, 11)),
                   via="person search") for i in range(10)]     # 100 persons in one day
    found = detection.volume(history + burst, ctx(), T)
    assert kinds(found) == ["volume"]
    assert found[0].username == "user1" and found[0].entries == [e.id for e in burst]
    assert found[0].facts["persons"] == 100 and found[0].facts["own_median"] == 10
    assert detection.volume(history, ctx(), T) == []


def test_scanning_searches_without_case_work():
    day = DAY0 + datetime.timedelta(days=1)
    lonely = [entry(1, "search", at=day + datetime.timedelta(minutes=3 * i), terms={"kid": "k"})
              for i in range(T["scanning_min"])]
    worked = []
    for i in range(T["scanning_min"]):
        at = day + datetime.timedelta(minutes=30 * i)
        worked += [entry(2, "search", at=at, terms={"kid": "k"}),
                   entry(2, "update", at=at + datetime.timedelta(minutes=5),
                         object_type="registry.case", object_id=100)]
    found = detection.scanning(lonely + worked, ctx(), T)
    assert kinds(found) == ["scanning"] and found[0].actor_id == 1
    assert found[0].entries == [e.id for e in lonely]


def test_contacts_read_outside_own_cases_and_team():
    at = DAY0
    inside = read(1, 5, at, via="person page")                      # own team's case
    outside = read(4, 5, at, via="person page", agency=99)           # no team, other agency
    glass = read(5, 5, at, via="person page", agency=99, break_glass=[7])
    listing = read(6, 5, at, via="case list", agency=99)             # no contacts shown
    found = detection.outside_cases([inside, outside, glass, listing], ctx(), T)
    assert [(f.kind, f.actor_id, f.entries) for f in found] == [
        ("outside_cases", 4, [outside.id])]


def test_access_at_unusual_hours_for_that_user():
    history = normal_days(1, days=12, per_day=10)                   # 09:00–12:00
    night = DAY0 + datetime.timedelta(days=13, hours=-6)             # 03:00
    late = [read(1, 3, night + datetime.timedelta(minutes=5 * i)) for i in range(4)]
    night_worker = [read(2, 3, DAY0.replace(hour=2) + datetime.timedelta(days=d, minutes=10 * i))
                    for d in range(13) for i in range(10)]           # always works at night
    found = detection.unusual_hours(history + late + night_worker, ctx(), T)
    assert [(f.kind, f.actor_id, f.entries) for f in found] == [
        ("unusual_hours", 1, [e.id for e in late])]


def test_same_family_name_as_the_user():
    c = ctx(family_digests={4: {"fam-d"}}, person_digests={7: {"fam-d", "x"}, 8: {"y"}},
            family_terms={4: {"k": [{"h1"}]}})
    namesake = read(4, 7, DAY0, agency=99)
    other = read(4, 8, DAY0, agency=99)
    search = entry(4, "search", at=DAY0, terms={"kid": "k", "words": [["h1", "h2"]]})
    found = detection.same_name([namesake, other, search], c, T)
    assert [(f.kind, f.actor_id, f.entries) for f in found] == [
        ("same_name", 4, [namesake.id, search.id])]
    # On a case of their own team, a namesake is work, not curiosity.
    c.teams[4] = {100}
    assert detection.same_name([namesake], c, T) == []


def test_many_unconnected_users_read_one_person():
    reads = [read(20 + u, 9, DAY0 + datetime.timedelta(hours=u), agency=99)
             for u in range(T["many_readers_min"])]
    team = [read(u, 10, DAY0) for u in (1, 2, 3)] * 3                # the team, many times
    found = detection.many_readers(reads + team, ctx(), T)
    assert [(f.kind, f.person_id, f.username) for f in found] == [("many_readers", 9, "")]
    assert found[0].entries == [e.id for e in reads]
    assert detection.many_readers(reads[:-1], ctx(), T) == []


def test_bulk_export():
    big = entry(1, "export", at=DAY0, object_type="registry.exploitationrecord", rows=5000)
    small = entry(2, "export", at=DAY0, object_type="registry.exploitationrecord", rows=12)
    many = [entry(3, "export", at=DAY0 + datetime.timedelta(minutes=i), rows=3)
            for i in range(T["exports_per_day"])]
    found = detection.bulk_export([big, small, *many], ctx(), T)
    assert [(f.actor_id, f.entries) for f in found] == [(1, [big.id]), (3, [e.id for e in many])]


def test_repeated_break_glass():
    def grant(user, days):
        return entry(user, "create", at=DAY0 + datetime.timedelta(days=days),
                     object_type="access.breakglassgrant", object_id=days)

    repeated = [grant(1, d) for d in (0, 5, 9)]
    spread = [grant(2, d) for d in (0, 40, 80)]
    found = detection.break_glass(repeated + spread, ctx(), T)
    assert [(f.kind, f.actor_id, f.entries) for f in found] == [
        ("break_glass", 1, [e.id for e in repeated])]


def test_reads_right_after_an_account_change():
    change = entry(None, "update", at=DAY0, object_type="access.user", object_id=4,
                   fields=["role"])
    password = entry(None, "update", at=DAY0, object_type="access.user", object_id=5,
                     fields=["password"])
    after = [read(4, 20 + i, DAY0 + datetime.timedelta(hours=2 + i), agency=99) for i in range(3)]
    same_after_password = [read(5, 20 + i, DAY0 + datetime.timedelta(hours=2), agency=99)
                           for i in range(3)]
    found = detection.after_change([change, password, *after, *same_after_password], ctx(), T)
    assert [(f.kind, f.actor_id, f.username, f.entries) for f in found] == [
        ("after_change", 4, "user4", [change.id, *[e.id for e in after]])]


def test_suspect_read_by_an_account_of_the_suspects_agency():
    c = ctx(official_agencies={30: {10}})
    colleague = read(1, 30, DAY0)
    other = read(4, 30, DAY0, agency=11)
    found = detection.official_link([colleague, other], c, T)
    assert [(f.kind, f.actor_id, f.person_id, f.entries) for f in found] == [
        ("official_link", 1, 30, [colleague.id])]


def test_thresholds_come_from_the_settings_with_their_types():
    values = detection.thresholds({"volume_factor": "4", "unknown": 1, "scanning_min": 3.0})
    assert values["volume_factor"] == 4.0 and values["scanning_min"] == 3
    assert "unknown" not in values


@pytest.mark.parametrize("rule", detection.CHECKS)
def test_every_rule_is_quiet_on_ordinary_work(rule):
    work = normal_days(1, days=14) + normal_days(2, days=14) + normal_days(3, days=14)
    found = rule(work, ctx(), T) if rule not in (detection.scanning, detection.same_name) else \
        rule(work, ctx(), T, None)
    assert found == []

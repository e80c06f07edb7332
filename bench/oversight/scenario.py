"""A seeded synthetic node's month of audit entries: ordinary users with work patterns, and
insiders of each kind of alert, with the ground truth of who did what.

Ordinary work (per user, weekdays): a daily Poisson number of identity reads of the persons of
their agency's cases (some days twice as busy), within a personal shift (7–10 h start, eight
hours; on some days an hour or two of overtime), name searches most of which case work follows
(a fifth do not), updates, a small export now and then, a rare break-glass grant, a few role
changes mid-month after which work goes on as before, and reads of namesakes (family names come
from one pool for users and persons alike) on their own agency's cases.

Insiders do what their kind says, once or a few times in the month, during their shift unless
the kind is about the hour. A behaviour is labelled by what it is, not by who was cast for it:
an insider who opens a victim's page outside their cases is labelled `outside_cases` too."""

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from crossroads.oversight.detection import Context, Entry

KINDS = ("volume", "scanning", "outside_cases", "unusual_hours", "same_name", "many_readers",
         "bulk_export", "break_glass", "after_change", "official_link")
START = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)   # a Monday
DAYS = 30
ROLES = ("investigator", "case_worker", "prosecutor", "focal_point")


@dataclass
class World:
    entries: list[Entry] = field(default_factory=list)
    ctx: Context = field(default_factory=Context)
    users: dict[int, dict] = field(default_factory=dict)
    labels: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # user -> kinds
    targets: set[int] = field(default_factory=set)            # persons of many-readers rings
    cast: dict[str, list] = field(default_factory=lambda: defaultdict(list))  # kind -> subjects


def _poisson(rng, lam):
    threshold, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


def build(seed: int, users: int = 1000, agencies: int = 40, insiders_per_kind: int = 10) -> World:
    rng = random.Random(seed)
    w = World()
    ids = iter(range(1, 10**9))
    surnames = [f"fam{i}" for i in range(300)]
    # Agencies, cases and their persons.
    agency_persons, case_id, person_id = defaultdict(list), 0, 0
    agency_victims = defaultdict(list)
    for agency in range(1, agencies + 1):
        for _ in range(60):
            case_id += 1
            w.ctx.case_agencies[case_id] = {agency}
            for role in ("victim", "suspect"):
                person_id += 1
                w.ctx.person_cases[person_id] = {case_id}
                w.ctx.person_digests[person_id] = {rng.choice(surnames)}
                agency_persons[agency].append(person_id)
                if role == "victim":
                    w.ctx.victims.add(person_id)
                    agency_victims[agency].append(person_id)
    # Officials: some suspects work for another agency of the node.
    suspects = [p for p in range(1, person_id + 1) if p not in w.ctx.victims]
    for p in rng.sample(suspects, 80):
        own = next(iter(w.ctx.case_agencies[next(iter(w.ctx.person_cases[p]))]))
        w.ctx.official_agencies[p] = {rng.choice([a for a in range(1, agencies + 1) if a != own])}
    # Users.
    for uid in range(1, users + 1):
        agency = rng.randint(1, agencies)
        family = rng.choice(surnames)
        w.users[uid] = {"agency": agency, "role": rng.choice(ROLES), "rate": rng.uniform(4, 25),
                        "start": rng.randint(7, 10), "name": f"user{uid}", "family": family}
        w.ctx.family_digests[uid] = {family}
        w.ctx.family_terms[uid] = {"k": [{family}]}
        cases = [c for c, a in w.ctx.case_agencies.items() if agency in a]
        w.ctx.teams[uid] = set(rng.sample(cases, 8))

    def add(uid, action, at, object_type="registry.person", object_id="", **details):
        u = w.users.get(uid, {})
        e = Entry(next(ids), at, uid, u.get("name", ""), u.get("role", ""), u.get("agency"),
                  "AL", action, object_type, str(object_id), details)
        w.entries.append(e)
        return e

    def at_work(uid, day, rng=rng, late=0.0):
        u = w.users[uid]
        hour = u["start"] + rng.random() * (8 + late)
        return START + datetime.timedelta(days=day, hours=hour)

    def work_read(uid, day, person=None):
        agency = w.users[uid]["agency"]
        person = person or rng.choice(agency_persons[agency])
        via = rng.choice(["case page", "person page", "assistance file page", "case list"])
        add(uid, "read_identity", at_work(uid, day), object_id=person, via=via,
            case=next(iter(w.ctx.person_cases[person])))

    changed = set(rng.sample(range(1, users + 1), users // 50))
    insiders = rng.sample(range(1, users + 1), insiders_per_kind * len(KINDS) * 6)
    cast_users = iter(u for u in insiders if u not in changed)
    weekdays = [d for d in range(DAYS) if (START + datetime.timedelta(days=d)).weekday() < 5]
    # Ordinary work of everybody.
    for uid, u in w.users.items():
        for day in weekdays:
            busy = 2 if rng.random() < 0.05 else 1
            late = rng.uniform(1, 2) if rng.random() < 0.05 else 0.0
            for _ in range(_poisson(rng, u["rate"] * busy)):
                agency_list = agency_persons[u["agency"]]
                person = rng.choice(agency_list)
                via = rng.choice(["case page", "person page", "assistance file page",
                                  "case list"])
                add(uid, "read_identity", at_work(uid, day, late=late), object_id=person,
                    via=via, case=next(iter(w.ctx.person_cases[person])))
            for _ in range(_poisson(rng, 3)):
                at = at_work(uid, day)
                add(uid, "search", at, terms={"kid": "k", "words": [[rng.choice(surnames)]]})
                if rng.random() < 0.8:
                    add(uid, "update", at + datetime.timedelta(minutes=rng.uniform(1, 40)),
                        object_type="registry.case", object_id=rng.randint(1, case_id))
            if rng.random() < 0.1:
                add(uid, "export", at_work(uid, day), object_type="registry.case",
                    rows=rng.randint(1, 200))
        if rng.random() < 0.05:
            add(uid, "create", at_work(uid, rng.choice(weekdays)),
                object_type="access.breakglassgrant", object_id=uid)
        if uid in changed:
            add(None, "update", at_work(uid, rng.choice(weekdays)), object_type="access.user",
                object_id=uid, fields=["role"])

    def label(uid, kind):
        w.labels[uid].add(kind)

    def outside_read(uid, day, person, hours=None):
        at = at_work(uid, day) if hours is None else START + datetime.timedelta(
            days=day, hours=hours)
        add(uid, "read_identity", at, object_id=person, via="person page")
        if person in w.ctx.victims and not w.ctx.connected(uid, w.users[uid]["agency"], person):
            label(uid, "outside_cases")

    def stranger(uid):
        agency = w.users[uid]["agency"]
        return rng.choice([p for a, ps in agency_victims.items() if a != agency for p in ps[:20]])

    for kind in KINDS:
        for _ in range(insiders_per_kind):
            uid = next(cast_users)
            day = rng.choice(weekdays[3:])
            u = w.users[uid]
            if kind == "volume":
                for _ in range(int(u["rate"] * rng.uniform(5, 9)) + 40):
                    work_read(uid, day)
            elif kind == "scanning":
                for _ in range(rng.randint(10, 25)):
                    add(uid, "search", at_work(uid, day),
                        terms={"kid": "k", "words": [[rng.choice(surnames)]]})
            elif kind == "outside_cases":
                for _ in range(rng.randint(1, 3)):
                    outside_read(uid, day, stranger(uid))
            elif kind == "unusual_hours":
                for _ in range(rng.randint(3, 8)):
                    add(uid, "read_identity", START + datetime.timedelta(
                        days=day, hours=rng.uniform(0, 5)),
                        object_id=rng.choice(agency_persons[u["agency"]]), via="case page")
            elif kind == "same_name":
                # Looks up a relative: a search of their own family name, then the record of
                # a namesake outside their cases (made one if the node holds none).
                namesakes = [p for p, d in w.ctx.person_digests.items()
                             if u["family"] in d and not w.ctx.connected(uid, u["agency"], p)]
                if not namesakes:
                    namesakes = [stranger(uid)]
                    w.ctx.person_digests[namesakes[0]] = {u["family"]}
                add(uid, "search", at_work(uid, day), terms={"kid": "k", "words": [[u["family"]]]})
                outside_read(uid, day, rng.choice(namesakes))
            elif kind == "many_readers":
                target = stranger(uid)
                ring = [uid, *[next(cast_users) for _ in range(rng.randint(4, 6))]]
                for member in ring:
                    if w.users[member]["agency"] in w.ctx.case_agencies[
                            next(iter(w.ctx.person_cases[target]))]:
                        continue
                    outside_read(member, min(day + rng.randint(0, 3), DAYS - 1), target)
                    label(member, "many_readers")
                w.targets.add(target)
                w.cast[kind].append(target)
                continue
            elif kind == "bulk_export":
                if rng.random() < 0.5:
                    add(uid, "export", at_work(uid, day), object_type="registry.exploitationrecord",
                        rows=rng.randint(2000, 20000))
                else:
                    for _ in range(rng.randint(5, 8)):
                        add(uid, "export", at_work(uid, day), object_type="registry.case",
                            rows=rng.randint(20, 200))
            elif kind == "break_glass":
                for d in sorted(rng.sample(weekdays, rng.randint(3, 5))):
                    add(uid, "create", at_work(uid, d), object_type="access.breakglassgrant",
                        object_id=d)
            elif kind == "after_change":
                change = add(None, "update", at_work(uid, day), object_type="access.user",
                             object_id=uid, fields=["role", "agency"])
                for _ in range(rng.randint(3, 10)):
                    person = stranger(uid)
                    at = change.at + datetime.timedelta(hours=rng.uniform(0.2, 40))
                    add(uid, "read_identity", at, object_id=person, via="case page")
            elif kind == "official_link":
                mine = [p for p, a in w.ctx.official_agencies.items() if u["agency"] in a]
                if not mine:
                    p = rng.choice(suspects)
                    w.ctx.official_agencies[p] = {u["agency"]}
                    mine = [p]
                for _ in range(rng.randint(1, 3)):
                    add(uid, "read_identity", at_work(uid, day), object_id=rng.choice(mine),
                        via="person page")
            label(uid, kind)
            w.cast[kind].append(uid)
    return w

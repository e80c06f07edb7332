"""The alert rules, over audit entries and the case context (no database: `services.scan` reads
both, `bench/oversight/` feeds synthetic ones). Each rule returns findings that name the audit
entries behind them, the figures that explain them and a severity; a finding's `key` says what
it is about (kind, account, subject, period), so the same finding found again is the same alert.

"Connected" means the reader has a reason in the data to see the person: the person is in a
case whose team holds the reader, or that the reader's agency owns or is assigned to.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crossroads.audit.search_terms import matches

from .choices import AlertKind, Severity

# Defaults of the thresholds (settings.CROSSROADS_OVERSIGHT_THRESHOLDS overrides any of them).
DEFAULTS = {
    "window_days": 30,             # how far back a scan looks
    "volume_factor": 3.0,          # a day's persons read ≥ this × max(own, peers' daily median)
    "volume_min": 40,              # ... and at least this many
    "volume_history_days": 5,      # own baseline only from this many other active days
    "scanning_min": 6,             # unfollowed name searches in a day
    "scanning_followup_minutes": 60,   # case work this soon after a search follows it up
    "outside_min": 1,              # victims' contact reads outside own cases/team in a day
    "unusual_share": 0.01,         # the usual day holds all but this share of own entries
    "unusual_margin_hours": 2.0,   # an entry this far outside the usual day is unusual
    "unusual_min": 3,              # ... at least this many entries in it on one day
    "unusual_history": 100,        # only with this many entries of history
    "many_readers_min": 5,         # unconnected users reading one person ...
    "many_readers_days": 7,        # ... within this many days
    "export_rows": 1000,           # one export of this many rows
    "exports_per_day": 5,          # or this many exports in a day
    "break_glass_max": 3,          # break-glass grants opened ...
    "break_glass_days": 30,        # ... within this many days
    "after_change_hours": 48,      # after an account's create or role/agency change ...
    "after_change_min": 3,         # ... this many unconnected persons read
}

READ = "read_identity"
SEARCH = "search"
EXPORT = "export"
WRITES = {"create", "update", "delete"}
# Reads through which a victim's contacts and address are shown.
CONTACT_VIAS = {"person page", "api person detail", "assistance file page", "api victim file",
                "referral page"}
ACCOUNT_FIELDS = {"role", "agency", "is_active", "jurisdiction"}
MAX_ENTRIES = 500


@dataclass(slots=True)
class Entry:
    id: int
    at: datetime.datetime            # aware
    actor_id: int | None
    actor: str
    role: str
    agency_id: int | None
    jurisdiction: str
    action: str
    object_type: str
    object_id: str
    details: dict


@dataclass
class Context:
    teams: dict[int, set[int]] = field(default_factory=dict)          # user -> cases
    person_cases: dict[int, set[int]] = field(default_factory=dict)   # person -> cases
    victims: set[int] = field(default_factory=set)
    case_agencies: dict[int, set[int]] = field(default_factory=dict)  # case -> owner, assigned
    official_agencies: dict[int, set[int]] = field(default_factory=dict)  # suspect -> agencies
    family_digests: dict[int, set[str]] = field(default_factory=dict)  # user -> name digests
    family_terms: dict[int, dict] = field(default_factory=dict)       # user -> search digests
    person_digests: dict[int, set[str]] = field(default_factory=dict)  # person -> name digests
    tz: datetime.tzinfo = datetime.UTC

    def connected(self, user_id: int, agency_id: int | None, person_id: int) -> bool:
        cases = self.person_cases.get(person_id, set())
        if cases & self.teams.get(user_id, set()):
            return True
        return agency_id is not None and any(
            agency_id in self.case_agencies.get(c, ()) for c in cases)


@dataclass
class Finding:
    kind: str
    key: str
    jurisdiction: str
    actor_id: int | None
    username: str
    agency_id: int | None
    severity: str
    entries: list[int]
    facts: dict
    first_at: datetime.datetime
    last_at: datetime.datetime
    person_id: int | None = None


def thresholds(overrides: dict | None = None) -> dict:
    values = dict(DEFAULTS)
    for name, value in (overrides or {}).items():
        if name in DEFAULTS:
            values[name] = type(DEFAULTS[name])(value)
    return values


def persons_of(e: Entry) -> list[int]:
    """The persons an identity read showed."""
    if e.action != READ or e.object_type != "registry.person":
        return []
    if e.object_id:
        return [int(e.object_id)] if e.object_id.isdigit() else []
    return [int(p) for p in e.details.get("ids", []) if str(p).isdigit()]


def _finding(kind, key, entries: list[Entry], severity, facts, person_id=None) -> Finding:
    first = entries[0]
    ordered = sorted(entries, key=lambda e: e.id)
    return Finding(kind=kind, key=key, jurisdiction=first.jurisdiction, actor_id=first.actor_id
                   if kind != AlertKind.MANY_READERS else None,
                   username=first.actor if kind != AlertKind.MANY_READERS else "",
                   agency_id=first.agency_id if kind != AlertKind.MANY_READERS else None,
                   severity=severity, entries=[e.id for e in ordered][:MAX_ENTRIES], facts=facts,
                   first_at=ordered[0].at, last_at=ordered[-1].at, person_id=person_id)


def _by_user_day(entries: Iterable[Entry], ctx: Context, keep: Callable[[Entry], bool]):
    groups = defaultdict(list)
    for e in entries:
        if e.actor_id is not None and keep(e):
            groups[(e.actor_id, e.at.astimezone(ctx.tz).date())].append(e)
    return groups


def volume(entries, ctx, t):
    days = _by_user_day(entries, ctx, lambda e: bool(persons_of(e)))
    counts = {k: sum(len(persons_of(e)) for e in v) for k, v in days.items()}
    per_user = defaultdict(dict)
    for (user, day), n in counts.items():
        per_user[user][day] = n
    role_of = {k[0]: v[0].role for k, v in days.items()}
    juris_of = {k[0]: v[0].jurisdiction for k, v in days.items()}
    user_median = {u: statistics.median(d.values()) for u, d in per_user.items()}
    peers = defaultdict(list)
    for u, m in user_median.items():
        peers[(role_of[u], juris_of[u])].append((u, m))
    found = []
    for (user, day), n in counts.items():
        if n < t["volume_min"]:
            continue
        others = [c for d, c in per_user[user].items() if d != day]
        own = statistics.median(others) if len(others) >= t["volume_history_days"] else None
        peer_values = [m for u, m in peers[(role_of[user], juris_of[user])] if u != user]
        peer = statistics.median(peer_values) if peer_values else None
        bases = [b for b in (own, peer) if b is not None]
        if not bases:
            continue
        base = max(bases)
        if n >= t["volume_factor"] * base:
            severity = Severity.HIGH if n >= 2 * t["volume_factor"] * base else Severity.MEDIUM
            found.append(_finding(AlertKind.VOLUME, f"volume:{user}:{day}", days[(user, day)],
                                  severity, {"day": str(day), "persons": n, "own_median": own,
                                             "peers_median": peer}))
    return found


def _is_case_work(e: Entry) -> bool:
    """Work on a record: a write. Opening what a search found is not work by itself (that is
    what scanning looks like)."""
    return e.action in WRITES and not e.object_type.startswith(("access.", "oversight."))


def _unfollowed_searches(entries, t) -> dict[int, list[Entry]]:
    """Per user, the name searches no case work of theirs followed within the follow-up time."""
    by_user = defaultdict(list)
    for e in entries:
        if e.actor_id is not None:
            by_user[e.actor_id].append(e)
    window = datetime.timedelta(minutes=t["scanning_followup_minutes"])
    result = {}
    for user, items in by_user.items():
        items.sort(key=lambda e: (e.at, e.id))
        work = [e.at for e in items if _is_case_work(e)]
        lonely, j = [], 0
        for e in items:
            if e.action != SEARCH or "terms" not in e.details:
                continue
            while j < len(work) and work[j] < e.at:
                j += 1
            if j >= len(work) or work[j] - e.at > window:
                lonely.append(e)
        if lonely:
            result[user] = lonely
    return result


def scanning(entries, ctx, t, lonely=None):
    lonely = lonely if lonely is not None else _unfollowed_searches(entries, t)
    found = []
    for _user, searches in lonely.items():
        days = _by_user_day(searches, ctx, lambda e: True)
        for (user, day), items in days.items():
            if len(items) >= t["scanning_min"]:
                severity = (Severity.HIGH if len(items) >= 3 * t["scanning_min"]
                            else Severity.MEDIUM)
                found.append(_finding(AlertKind.SCANNING, f"scanning:{user}:{day}", items,
                                      severity, {"day": str(day), "searches": len(items)}))
    return found


def outside_cases(entries, ctx, t):
    def outside(e):
        if e.details.get("via") not in CONTACT_VIAS or e.details.get("break_glass"):
            return False
        return any(p in ctx.victims and not ctx.connected(e.actor_id, e.agency_id, p)
                   for p in persons_of(e))

    found = []
    for (user, day), items in _by_user_day(entries, ctx, outside).items():
        persons = {p for e in items for p in persons_of(e)}
        if len(items) >= t["outside_min"]:
            severity = Severity.HIGH if len(persons) >= 3 else Severity.MEDIUM
            found.append(_finding(AlertKind.OUTSIDE_CASES, f"outside:{user}:{day}", items,
                                  severity, {"day": str(day), "persons": sorted(persons)}))
    return found


def _touches_identity(e: Entry) -> bool:
    return e.action in {READ, SEARCH, EXPORT}


def _hour(e: Entry, tz) -> float:
    local = e.at.astimezone(tz)
    return local.hour + local.minute / 60


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def unusual_hours(entries, ctx, t):
    """Entries more than `unusual_margin_hours` before or after the hours that hold all but
    `unusual_share` of the user's other entries (their usual day, from their own history)."""
    by_user = defaultdict(list)
    for e in entries:
        if e.actor_id is not None and _touches_identity(e):
            by_user[e.actor_id].append(e)
    found = []
    tail = t["unusual_share"] / 2
    for user, items in by_user.items():
        if len(items) < t["unusual_history"]:
            continue
        days = defaultdict(list)
        for e in items:
            days[e.at.astimezone(ctx.tz).date()].append(e)
        for day, today in days.items():
            rest = sorted(_hour(e, ctx.tz) for d, es in days.items() if d != day for e in es)
            if len(rest) < t["unusual_history"]:
                continue
            low, high = _quantile(rest, tail), _quantile(rest, 1 - tail)
            margin = t["unusual_margin_hours"]
            chosen = [e for e in today if not low - margin <= _hour(e, ctx.tz) <= high + margin]
            if len(chosen) >= t["unusual_min"]:
                found.append(_finding(AlertKind.UNUSUAL_HOURS, f"hours:{user}:{day}", chosen,
                                      Severity.MEDIUM, {
                                          "day": str(day), "entries": len(chosen),
                                          "usual_from": round(low, 1),
                                          "usual_to": round(high, 1)}))
    return found


def same_name(entries, ctx, t, lonely=None):
    """Reads of a person outside the reader's cases who bears the reader's family name; the
    reader's searches of their own family name that no case work followed, that day, are
    evidence with it (a search alone is not: common names are searched in ordinary work)."""
    lonely = lonely if lonely is not None else _unfollowed_searches(entries, t)
    lonely_ids = {e.id for items in lonely.values() for e in items}

    def namesake_read(e):
        mine = ctx.family_digests.get(e.actor_id)
        return bool(mine) and any(
            ctx.person_digests.get(p, set()) & mine
            and not ctx.connected(e.actor_id, e.agency_id, p) for p in persons_of(e))

    def own_name_search(e):
        return e.action == SEARCH and e.id in lonely_ids and matches(
            e.details.get("terms"), ctx.family_terms.get(e.actor_id, {}))

    reads = _by_user_day(entries, ctx, namesake_read)
    searches = _by_user_day(entries, ctx, own_name_search)
    found = []
    for (user, day), items in reads.items():
        mine = ctx.family_digests[user]
        persons = sorted({p for e in items for p in persons_of(e)
                          if ctx.person_digests.get(p, set()) & mine})
        evidence = items + searches.get((user, day), [])
        found.append(_finding(AlertKind.SAME_NAME, f"name:{user}:{day}", evidence,
                              Severity.MEDIUM, {"day": str(day), "persons": persons,
                                                "searches": len(evidence) - len(items)}))
    return found


def many_readers(entries, ctx, t):
    reads = defaultdict(list)   # person -> unconnected reads
    for e in entries:
        if e.actor_id is None:
            continue
        for p in persons_of(e):
            if not ctx.connected(e.actor_id, e.agency_id, p) and not e.details.get("break_glass"):
                reads[p].append(e)
    span = datetime.timedelta(days=t["many_readers_days"])
    found = []
    for person, items in reads.items():
        if len({e.actor_id for e in items}) < t["many_readers_min"]:
            continue
        items.sort(key=lambda e: e.at)
        start = 0
        for end in range(len(items)):
            while items[end].at - items[start].at > span:
                start += 1
            window = items[start:end + 1]
            readers = {e.actor_id for e in window}
            if len(readers) >= t["many_readers_min"]:
                week = window[0].at.astimezone(ctx.tz).isocalendar()
                found.append(_finding(AlertKind.MANY_READERS,
                                      f"readers:{person}:{week.year}-{week.week}", window,
                                      Severity.HIGH, {"person": person, "readers": len(readers),
                                                      "accounts": sorted({e.actor for e in window})},
                                      person_id=person))
                break
    return found


def bulk_export(entries, ctx, t):
    def rows(e):
        return int(e.details.get("rows") or e.details.get("entities") or 0)

    found = []
    for (user, day), items in _by_user_day(entries, ctx, lambda e: e.action == EXPORT).items():
        big = [e for e in items if rows(e) >= t["export_rows"]]
        if big or len(items) >= t["exports_per_day"]:
            total = sum(rows(e) for e in items)
            severity = Severity.HIGH if total >= 10 * t["export_rows"] else Severity.MEDIUM
            found.append(_finding(AlertKind.BULK_EXPORT, f"export:{user}:{day}", items, severity,
                                  {"day": str(day), "exports": len(items), "rows": total}))
    return found


def break_glass(entries, ctx, t):
    grants = defaultdict(list)
    for e in entries:
        if (e.actor_id is not None and e.action == "create"
                and e.object_type == "access.breakglassgrant"):
            grants[e.actor_id].append(e)
    span = datetime.timedelta(days=t["break_glass_days"])
    found = []
    for user, items in grants.items():
        items.sort(key=lambda e: e.at)
        for i in range(len(items)):
            window = [e for e in items[i:] if e.at - items[i].at <= span]
            if len(window) >= t["break_glass_max"]:
                severity = (Severity.HIGH if len(window) >= 2 * t["break_glass_max"]
                            else Severity.MEDIUM)
                found.append(_finding(AlertKind.BREAK_GLASS,
                                      f"glass:{user}:{items[i].at:%Y-%m}", window, severity,
                                      {"grants": len(window), "days": t["break_glass_days"]}))
                break
    return found


def after_change(entries, ctx, t):
    changes = defaultdict(list)   # user -> change entries
    reads = defaultdict(list)
    for e in entries:
        if e.object_type == "access.user" and e.object_id.isdigit() and (
                e.action == "create" or (e.action == "update" and ACCOUNT_FIELDS & set(
                    e.details.get("fields", [])))):
            changes[int(e.object_id)].append(e)
        elif e.actor_id is not None and persons_of(e):
            reads[e.actor_id].append(e)
    span = datetime.timedelta(hours=t["after_change_hours"])
    found = []
    for user, made in changes.items():
        for change in made:
            after = [e for e in reads.get(user, []) if change.at <= e.at <= change.at + span]
            persons = {p for e in after for p in persons_of(e)
                       if not ctx.connected(user, e.agency_id, p)}
            if len(persons) >= t["after_change_min"]:
                chosen = [change, *[e for e in after if set(persons_of(e)) & persons]]
                finding = _finding(AlertKind.AFTER_CHANGE, f"change:{user}:{change.id}", chosen,
                                   Severity.HIGH if len(persons) >= 3 * t["after_change_min"]
                                   else Severity.MEDIUM,
                                   {"change": change.id, "persons": len(persons),
                                    "hours": t["after_change_hours"]})
                # About the changed account, not whoever made the change.
                first = after[0]
                finding.actor_id, finding.username = user, first.actor
                finding.agency_id, finding.jurisdiction = first.agency_id, first.jurisdiction
                found.append(finding)
    return found


def official_link(entries, ctx, t):
    groups = defaultdict(list)
    for e in entries:
        if e.actor_id is None or e.agency_id is None:
            continue
        for p in persons_of(e):
            if e.agency_id in ctx.official_agencies.get(p, ()):
                groups[(e.actor_id, p)].append(e)
    return [_finding(AlertKind.OFFICIAL_LINK, f"official:{user}:{person}", items, Severity.HIGH,
                     {"person": person, "reads": len(items)}, person_id=person)
            for (user, person), items in groups.items()]


CHECKS = (volume, scanning, outside_cases, unusual_hours, same_name, many_readers, bulk_export,
         break_glass, after_change, official_link)


def run(entries: list[Entry], ctx: Context, t: dict) -> list[Finding]:
    entries = sorted(entries, key=lambda e: e.id)
    lonely = _unfollowed_searches(entries, t)
    found = []
    for rule in CHECKS:
        if rule in (scanning, same_name):
            found += rule(entries, ctx, t, lonely)
        else:
            found += rule(entries, ctx, t)
    return found

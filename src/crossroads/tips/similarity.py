"""Possible duplicates: two reports of the same place, at about the same time, telling of the
same people. "Same place": the same jurisdiction and municipality and, when both give one, the
same place key of the linkage engine (`crossroads.names.place_key`, which folds scripts and
spellings). "Same time": received within WINDOW of each other. "Same people": the names the two
texts give (runs of capitalised words, in any of the region's scripts, taken two by two as
given and family name) agree by the linkage engine's name comparison
(`crossroads.linkage.name_match`: "Ardit Hoxha", "Ardita Hoxhaj" and "Ардит Хоџа" agree);
when one of the texts names nobody, their words, folded like names (script, diacritics, case),
overlap by at least OVERLAP (Jaccard index of the words of four letters or more).

`groups` joins the pairs into groups: the connected components of the relation among the
reports given (the caller gives only the reports its reader may see)."""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from crossroads.linkage.name_match import same_person
from crossroads.names import place_key
from crossroads.names.orthography import fold
from crossroads.names.script import to_latin

WINDOW = datetime.timedelta(days=14)
OVERLAP = 0.2
_WORD = re.compile(r"\w{4,}")
_LETTERS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

Name = tuple[str, str]  # (given, family) as written


def words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in _WORD.findall(to_latin(text or "")))


def names(text: str) -> tuple[Name, ...]:
    """The person-name-like pairs of a text: two capitalised words (of two letters or more, in
    Latin or Cyrillic) with only spaces between them; a run of three gives two pairs."""
    found: list[Name] = []
    previous = None
    for word in _LETTERS.finditer(text or ""):
        capitalised = len(word.group()) >= 2 and word.group()[0].isupper()
        if capitalised and previous is not None and text[previous.end():word.start()].isspace():
            pair = (previous.group(), word.group())
            if pair not in found:
                found.append(pair)
        previous = word if capitalised else None
    return tuple(found)


def same_place(a, b) -> bool:
    if a.jurisdiction_id != b.jurisdiction_id or a.municipality != b.municipality:
        return False
    return not (a.place and b.place) or place_key(a.place) == place_key(b.place)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True)
class Match:
    """Why two reports may tell of one event."""

    municipality: str
    days: int  # between their arrivals
    shared_names: tuple[tuple[str, str], ...]  # ("Ardit Hoxha", "Ардит Хоџа"), ...
    overlap: float  # of the words, when no names decided

    @property
    def names_text(self) -> str:
        return ", ".join(f"{left} ~ {right}" for left, right in self.shared_names)


def _features(report) -> tuple[tuple[Name, ...], frozenset[str]]:
    return names(report.what_happened), words(report.what_happened)


def match(report, other, features=_features) -> Match | None:
    """Why `other` may tell of the same event as `report`, or None. `features` gives a
    report's names and words (`groups` computes them once per report: the texts are
    decrypted, and nothing of them is kept beyond the call)."""
    if other.pk == report.pk or abs(other.received_at - report.received_at) > WINDOW:
        return None
    if not same_place(report, other):
        return None
    days = abs(other.received_at - report.received_at).days
    (mine, my_words), (theirs, their_words) = features(report), features(other)
    if mine and theirs:
        shared = tuple((" ".join(left), " ".join(right)) for left in mine for right in theirs
                       if same_person(left, right))
        return Match(report.municipality, days, shared, 0.0) if shared else None
    share = overlap(my_words, their_words)
    return Match(report.municipality, days, (), share) if share >= OVERLAP else None


def possible_duplicates(report, others) -> list:
    """The reports among `others` that may tell of the same event as `report`."""
    return [other for other in others if match(report, other) is not None]


@dataclass
class Link:
    left: object
    right: object
    why: Match


@dataclass
class Group:
    """Reports that are possible duplicates of each other, oldest first, and the pairs that
    join them."""

    reports: list = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def first(self):
        return self.reports[0]


def groups(reports) -> list[Group]:
    """The groups of two or more among `reports`, the group with the newest report first.
    Reports are compared only within one jurisdiction and municipality and WINDOW."""
    by_place = defaultdict(list)
    for report in reports:
        by_place[(report.jurisdiction_id, report.municipality)].append(report)
    parent: dict[int, int] = {}
    computed: dict[int, tuple] = {}

    def features(report):
        if report.pk not in computed:
            computed[report.pk] = _features(report)
        return computed[report.pk]

    def root(pk: int) -> int:
        while parent.setdefault(pk, pk) != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    links: list[Link] = []
    for bucket in by_place.values():
        bucket.sort(key=lambda report: (report.received_at, report.pk))
        for i, left in enumerate(bucket):
            for right in bucket[i + 1:]:
                if right.received_at - left.received_at > WINDOW:
                    break
                why = match(left, right, features)
                if why is not None:
                    links.append(Link(left, right, why))
                    parent[root(right.pk)] = root(left.pk)
    found: dict[int, Group] = {}
    for report in sorted({r.pk: r for link in links for r in (link.left, link.right)}.values(),
                         key=lambda report: (report.received_at, report.pk)):
        found.setdefault(root(report.pk), Group()).reports.append(report)
    for link in links:
        found[root(link.left.pk)].links.append(link)
    return sorted(found.values(), key=lambda group: max(r.received_at for r in group.reports),
                  reverse=True)

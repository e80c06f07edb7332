"""Possible duplicates: two reports of the same place, at about the same time, telling of the
same people. "Same place": the same municipality and, when both give one, the same place key
of the linkage engine (`crossroads.names.place_key`, which folds scripts and spellings).
"Same time": received within WINDOW of each other. "Same people": the words of the two texts,
folded like names (script, diacritics, case), overlap by at least OVERLAP (Jaccard index of the
words of four letters or more; names and places are what two reporters of one event share)."""

import datetime
import re

from crossroads.names import place_key
from crossroads.names.orthography import fold
from crossroads.names.script import to_latin

WINDOW = datetime.timedelta(days=14)
OVERLAP = 0.2
_WORD = re.compile(r"\w{4,}")


def words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in _WORD.findall(to_latin(text or "")))


def same_place(a, b) -> bool:
    if a.jurisdiction_id != b.jurisdiction_id or a.municipality != b.municipality:
        return False
    return not (a.place and b.place) or place_key(a.place) == place_key(b.place)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def possible_duplicates(report, others) -> list:
    """The reports among `others` that may tell of the same event as `report`."""
    mine = words(report.what_happened)
    return [other for other in others
            if other.pk != report.pk and abs(other.received_at - report.received_at) <= WINDOW
            and same_place(report, other) and overlap(mine, words(other.what_happened)) >= OVERLAP]

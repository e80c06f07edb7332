"""One-to-one assignment of scored pairs between two registers.

Within one register a person is recorded once, so a left record links to at most one
right record and vice versa. The assignment is greedy by probability (ties by ids):
a pair is kept unless one of its records was already taken by a stronger pair.

Greedy rather than an optimal maximum-weight matching, on purpose: a kept pair never
depends on pairs below it, so the pairs at or above any threshold are the same whether
the run wrote pairs from 0.05 or from 0.9 (the review queue and the automatic links see
one consistent assignment), and it is O(n log n) for a national batch. An optimal
matching would differ only where a record has two candidates of almost equal weight,
which are the pairs a reviewer should see anyway.
"""

from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Pair(Protocol):
    left_id: str
    right_id: str
    probability: float


P = TypeVar("P", bound=_Pair)


def one_to_one(pairs: Iterable[P]) -> list[P]:
    """The pairs kept by the greedy assignment, in the order (left_id, right_id)."""
    taken_left: set[str] = set()
    taken_right: set[str] = set()
    kept = []
    for pair in sorted(pairs, key=lambda p: (-p.probability, p.left_id, p.right_id)):
        if pair.left_id in taken_left or pair.right_id in taken_right:
            continue
        taken_left.add(pair.left_id)
        taken_right.add(pair.right_id)
        kept.append(pair)
    kept.sort(key=lambda p: (p.left_id, p.right_id))
    return kept

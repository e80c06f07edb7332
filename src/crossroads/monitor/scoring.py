"""The scorecard's arithmetic, plain functions over counts by status (no database): the node's
scorecard page and API and the hub's heat map compute the same score from the same counts.

The score of a group of obligations (a pillar, an instrument) is out of 100:

    score = 100 × (aligned + ½ × partly aligned) / (aligned + partly aligned + not aligned)

Not applicable and unknown obligations are left out of the denominator. A group with nothing
assessed (every obligation unknown or not applicable) has no score — not 0. Beside it stands
the unknown share, unknown / (every obligation that applies, i.e. all but not applicable): a
score over few assessed obligations is not to be over-read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .choices import Instrument, Pillar, Status

STATUSES = tuple(Status.values)
WEIGHTS = {Status.ALIGNED: 1.0, Status.PARTLY: 0.5, Status.NOT_ALIGNED: 0.0}
PILLARS = tuple(Pillar.values)
INSTRUMENTS = tuple(Instrument.values)


@dataclass(frozen=True)
class Group:
    """The counts by status of one group of obligations and what follows from them."""

    key: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def assessed(self) -> int:
        return sum(self.counts[status] for status in WEIGHTS)

    @property
    def applicable(self) -> int:
        return self.total - self.counts[Status.NOT_APPLICABLE]

    @property
    def score(self) -> float | None:
        if not self.assessed:
            return None
        points = sum(weight * self.counts[status] for status, weight in WEIGHTS.items())
        return round(100 * points / self.assessed, 1)

    @property
    def unknown_share(self) -> float | None:
        """Percent of the applicable obligations still unknown (None if none applies)."""
        if not self.applicable:
            return None
        return round(100 * self.counts[Status.UNKNOWN] / self.applicable, 1)

    def as_dict(self) -> dict:
        return {"key": self.key, "counts": dict(self.counts), "total": self.total,
                "assessed": self.assessed, "score": self.score,
                "unknown_share": self.unknown_share}


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(STATUSES, 0)


def groups(rows: Iterable[tuple[str, str]], keys: tuple[str, ...]) -> list[Group]:
    """One group per key (in `keys`' order, empty ones too) from (key, status) rows; a row of
    another key is not counted."""
    counts = {key: empty_counts() for key in keys}
    for key, status in rows:
        if key in counts and status in counts[key]:
            counts[key][status] += 1
    return [Group(key, counts[key]) for key in keys]


def from_counts(counts: dict[str, dict[str, int]], keys: tuple[str, ...]) -> list[Group]:
    """Groups from published counts ({key: {status: n}}); a key missing is all zeros."""
    return [Group(key, {**empty_counts(), **(counts.get(key) or {})}) for key in keys]


def change(now: float | None, before: float | None) -> float | None:
    """The change of a score between two cycles (None if either has no score)."""
    if now is None or before is None:
        return None
    return round(now - before, 1)


def band(score: float | None) -> str:
    """A colour band for the heat map (decoration only: the number is always printed)."""
    if score is None:
        return "none"
    if score >= 75:
        return "high"
    if score >= 50:
        return "mid"
    if score >= 25:
        return "low"
    return "poor"

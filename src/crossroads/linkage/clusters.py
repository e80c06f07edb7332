"""Clusters of matched pairs: one cluster per person, never joining two who contradict.

Plain connected components chain errors: one wrong pair joins two people's clusters,
and every record of each then counts as the same person. Here pairs are merged
strongest first, and a merge is refused when some record of one cluster contradicts
some record of the other: both sexes known and different, or both birth dates known
to the day, years apart and not a one- or two-digit typo of each other (the model's
"both precise, years apart" level). Each cluster keeps the distinct sexes and precise
dates of its records, so a merge costs the product of those, not of the cluster sizes.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import DamerauLevenshtein


@dataclass(frozen=True)
class Traits:
    """What may contradict: sex (M, F or None) and the birth date if known to the day."""

    sex: str | None = None
    birth_date: str | None = None


def dates_contradict(left: str, right: str) -> bool:
    """Both YYYY-MM-DD; the same rule as comparisons.DATES_CONTRADICT."""
    if abs(int(left[:4]) - int(right[:4])) < 2:
        return False
    shares_part = left[5:7] == right[5:7] or left[8:] == right[8:]
    return not (shares_part and DamerauLevenshtein.distance(left, right) <= 2)


@dataclass
class _Cluster:
    members: list[str]
    sexes: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)

    def contradicts(self, other: "_Cluster") -> bool:
        if len(self.sexes | other.sexes) > 1:
            return True
        return any(dates_contradict(a, b) for a in self.dates for b in other.dates)

    def absorb(self, other: "_Cluster") -> None:
        self.members.extend(other.members)
        self.sexes |= other.sexes
        self.dates |= other.dates


def consistent_clusters(
    ids: Iterable[str], pairs: Iterable[tuple[str, str, float]], traits: dict[str, Traits]
) -> dict[str, str]:
    """Map every id to its cluster id (the smallest id in its cluster).

    `pairs` are (id, id, probability); `traits` may omit ids that have none.
    """
    cluster_of: dict[str, _Cluster] = {}
    for record_id in ids:
        known = traits.get(record_id, Traits())
        cluster_of[record_id] = _Cluster(
            [record_id],
            {known.sex} if known.sex else set(),
            {known.birth_date} if known.birth_date else set(),
        )
    for left, right, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        first, second = cluster_of[left], cluster_of[right]
        if first is second or first.contradicts(second):
            continue
        if len(first.members) < len(second.members):
            first, second = second, first
        first.absorb(second)
        for member in second.members:
            cluster_of[member] = first
    names = {id(cluster): min(cluster.members) for cluster in cluster_of.values()}
    return {record_id: names[id(cluster)] for record_id, cluster in cluster_of.items()}

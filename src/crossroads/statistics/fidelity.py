"""How faithful a synthetic-microdata release is to the records it stands for. Pure functions.

Per released column, the total variation distance between the real and the synthetic one-way
marginals (half the sum of the absolute differences of the shares: 0 is identical, 1 is
disjoint). The release's fidelity is 1 minus the largest of them, so one column that is noise
(a sex "Other" the data do not hold, a top country nobody was exploited in) is enough to lower
it. Below the floor (CROSSROADS_SYNTHETIC_FIDELITY_FLOOR) the release is refused with the column
that failed; above it the reviewer sees the marginals side by side before approving.

The comparison reads the real records, so it stays inside the node with the release's row
(never in its manifest or files): the reviewing coordinator may see those records' counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

CLOSE = 0.9     # at or above: "close to the real data"
SHOWN = 6       # values shown per column (the largest real or synthetic shares)


def _shares(rows: Sequence[Mapping], column: str) -> dict[str, float]:
    counts = Counter(row[column] for row in rows)
    total = sum(counts.values())
    return {value: n / total for value, n in counts.items()} if total else {}


def compare(real: Sequence[Mapping], synthetic: Sequence[Mapping], columns: Sequence[str]) -> dict:
    """`{"score", "worst", "columns": [{"column", "distance", "values": [[value, real share,
    synthetic share], ...]}]}`, shares rounded to 3 places, the largest values first."""
    found = []
    for column in columns:
        a, b = _shares(real, column), _shares(synthetic, column)
        values = set(a) | set(b)
        distance = sum(abs(a.get(v, 0) - b.get(v, 0)) for v in values) / 2
        shown = sorted(values, key=lambda v: (-max(a.get(v, 0), b.get(v, 0)), str(v)))[:SHOWN]
        found.append({"column": column, "distance": round(distance, 3),
                      "values": [[v, round(a.get(v, 0), 3), round(b.get(v, 0), 3)] for v in shown]})
    worst = max(found, key=lambda c: c["distance"]) if found else None
    return {"score": round(1 - worst["distance"], 3) if worst else 1.0,
            "worst": worst["column"] if worst else None, "columns": found}


def verdict(score: float, floor: float) -> str:
    """close, usable (at or above the floor) or refused."""
    return "close" if score >= CLOSE else "usable" if score >= floor else "refused"

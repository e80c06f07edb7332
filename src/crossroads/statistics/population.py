"""Population denominators shipped with the package (`data/population.csv`, sources in
`data/README.md`): one figure per jurisdiction and group, or None where none was entered."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "population.csv"
GROUPS = ("total", "female", "male")


@dataclass(frozen=True)
class Population:
    jurisdiction: str
    group: str
    population: int | None
    census: str
    source: str
    note: str


@cache
def populations() -> dict[tuple[str, str], Population]:
    with DATA.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = {}
    for row in rows:
        if row["group"] not in GROUPS:
            raise ValueError(f"{DATA.name}: unknown group {row['group']!r}")
        figure = int(row["population"]) if row["population"].strip() else None
        found[(row["jurisdiction"], row["group"])] = Population(
            row["jurisdiction"], row["group"], figure, row["census"], row["source"], row["note"])
    return found


def population(jurisdiction: str, group: str) -> Population | None:
    return populations().get((jurisdiction, group))

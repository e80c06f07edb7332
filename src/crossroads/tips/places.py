"""The municipalities a reporter chooses from (data/municipalities.csv, sources in
data/README.md). A choice is `<jurisdiction>:<name>`; `<jurisdiction>:` alone is "elsewhere in
the jurisdiction", for which the reporter writes the place."""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from crossroads.access.choices import JURISDICTION_NAMES

DATA = Path(__file__).parent / "data" / "municipalities.csv"


@cache
def municipalities() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {code: [] for code in JURISDICTION_NAMES}
    with DATA.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            found[row["jurisdiction"]].append(row["name"])
    return {code: tuple(names) for code, names in found.items()}


def parse(value: str) -> tuple[str, str] | None:
    """(jurisdiction, municipality or "") of a choice, or None if it is not one. A name alone
    is taken when exactly one jurisdiction lists it."""
    code, sep, name = value.strip().partition(":")
    if not sep:
        found = [j for j, names in municipalities().items() if code in names]
        return (found[0], code) if len(found) == 1 else None
    names = municipalities().get(code.upper())
    if not sep or names is None or (name and name not in names):
        return None
    return code.upper(), name


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The form's choices: per jurisdiction its municipalities, then "elsewhere"."""
    groups = []
    for code, names in municipalities().items():
        label = str(JURISDICTION_NAMES[code])
        options = [(f"{code}:{name}", name) for name in names]
        options.append((f"{code}:", _("Elsewhere in %(jurisdiction)s (write the place below)")
                        % {"jurisdiction": label}))
        groups.append((label, options))
    return sorted(groups)

"""Birth dates with their precision: full day, month, or year only (estimated ages)."""

import re
from dataclasses import dataclass
from datetime import date

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EARLIEST_BIRTH_YEAR = 1880
LATEST_BIRTH_YEAR = 2100


@dataclass(frozen=True)
class BirthDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str | None:
        """YYYY-MM-DD when the day is known, else None."""
        if self.day is None:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_birth_date(text: str | None) -> BirthDate:
    """Parse `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or blank; raise ValueError on anything else."""
    text = (text or "").strip()
    if not text:
        return BirthDate()
    found = _PARTIAL_DATE.match(text)
    if not found:
        raise ValueError(f"{text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    year = int(found[1])
    month = int(found[2]) if found[2] else None
    day = int(found[3]) if found[3] else None
    if not EARLIEST_BIRTH_YEAR <= year <= LATEST_BIRTH_YEAR:
        raise ValueError(f"year {year} is outside {EARLIEST_BIRTH_YEAR}-{LATEST_BIRTH_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise ValueError(f"{text!r} is not a calendar date") from None
    return BirthDate(year, month, day)

"""Year-over-year change alerts on the dashboard tables.

For two consecutive years with counts a and b, the change is tested with the exact
conditional test of two Poisson rates: given a + b, b is Binomial(a + b, 1/2) when the rate
has not changed (the population is taken as the same in both years). A change is alerted
when the two-sided p-value is below `ALERT_LEVEL`. Only published cells are tested, so an
alert never tells anything about a suppressed cell, and only ended years: an open year's
partial count against a whole year would be a fall that is only the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _

from .aggregates import VICTIM, Table, Years, build_table, is_open
from .disclosure import SUPPRESSED
from .exact import binomial_two_sided

ALERT_LEVEL = 0.05
SMALLEST_P = 0.0001  # shown as "p < 0.0001" below it


@dataclass
class Alert:
    table: str
    row: str           # row label
    year: int
    previous: int
    current: int
    p_value: float

    @property
    def rising(self) -> bool:
        return self.current > self.previous

    @property
    def p_text(self) -> str:
        """The p-value as read: "p = 0.0123", or "p < 0.0001" for smaller ones (four places
        would print them as 0.0000). Outside the translated sentence: a symbol, not a word."""
        if self.p_value < SMALLEST_P:
            return f"p < {formats.number_format(SMALLEST_P, 4)}"
        return f"p = {formats.number_format(self.p_value, 4)}"


def alerts(table: Table, level: float = ALERT_LEVEL) -> list[Alert]:
    found = []
    years = [code for code, _label in table.columns]
    for (_code, label), cells in zip(table.rows, table.cells, strict=True):
        for j in range(1, len(cells)):
            a, b = cells[j - 1], cells[j]
            if is_open(years[j]) or a is SUPPRESSED or b is SUPPRESSED or a + b == 0:
                continue
            p = binomial_two_sided(b, a + b, 0.5)
            if p < level:
                found.append(Alert(table.name, label, years[j], a, b, p))
    return found


def victim_counts(records) -> dict:
    """Victims per year over `records` (already narrowed to years), under the one row "all"."""
    rows = (records.values("year_of_registration")
            .annotate(n=Count(VICTIM, distinct=True)).order_by())
    return {("all", r["year_of_registration"]): r["n"] for r in rows}


def victims_per_year(years: Years, counts: dict, *, suppress: bool = True) -> Table:
    return build_table("victims_per_year", _("Victims per year"), _("Victims"),
                       [("all", _("All victims"))], years.labelled, counts, suppress=suppress)

"""Risk indicators: victims per 100,000 inhabitants per year, by jurisdiction and sex, with
exact (Garwood) 95 % intervals, flagged when significantly above the regional rate.

* Counts are victim-years over the chosen years, from the exploitation records of every
  jurisdiction the node holds (the policy's COUNT scope: counted, never listed, no restricted
  case), tabulated and suppressed like every other table; a rate is computed only from a
  published count.
* The regional rate of a group pools the areas that have both a published count and a
  population figure for it: on a node that holds only some jurisdictions (the demo holds AL
  and RS), "regional" means those jurisdictions.
* Flagged: the lower end of the interval lies above the regional rate (the area's rate is
  higher than the region's at the 5 % level, the region being taken as the reference).
* Counted over fixed periods only (`period_of`: whole five-year periods, 2020–2024, 2025–2029):
  two answers cover the same years or none in common, so subtracting the counts of two
  overlapping ranges cannot reveal a suppressed cell (finding 11 of issue 13; the attacker's
  test is tests/security/test_finding_11_indicator_differencing.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from crossroads.access.choices import JURISDICTION_NAMES
from crossroads.registry.choices import Sex

from .aggregates import Table, Years, build_table
from .disclosure import SUPPRESSED
from .exact import poisson_interval
from .population import population
from .summary import Counter

PER = 100_000
PERIOD_YEARS = 5
SEX_GROUPS = {"female": Sex.FEMALE, "male": Sex.MALE}


@dataclass
class Indicator:
    jurisdiction: str
    group: str                  # total, female, male
    count: int | None           # None: suppressed
    population: int | None      # None: no denominator shipped
    rate: float | None = None   # per 100,000 per year
    low: float | None = None
    high: float | None = None
    regional: float | None = None
    flagged: bool = False
    source: str = ""

    @property
    def jurisdiction_label(self) -> str:
        return str(JURISDICTION_NAMES.get(self.jurisdiction, self.jurisdiction))


def period_of(year: int) -> Years:
    """The fixed period holding `year`: the indicators are counted over nothing else."""
    first = year - year % PERIOD_YEARS
    return Years(first, first + PERIOD_YEARS - 1)


def period_note(years: Years) -> str:
    return _("Counted over the fixed period %(first)s–%(last)s: risk indicators are published "
             "for whole five-year periods only, so that two answers cannot be subtracted to "
             "reveal a suppressed count.") % {"first": years.first, "last": years.last}


def counts_table(counter: Counter, years: Years) -> Table:
    """Victim-years by jurisdiction (rows) and sex (columns), suppressed."""
    counts: dict = defaultdict(int)
    for code, cells in counter.regional("sex", years).items():
        for (sex, _year), n in cells.items():
            counts[(code, sex)] += n
    held = sorted({code for (code, _sex), n in counts.items() if n} | {counter.user.jurisdiction_id})
    return build_table("indicator_counts", _("Victim-years by jurisdiction and sex"),
                       _("Jurisdiction"),
                       [(code, str(JURISDICTION_NAMES.get(code, code))) for code in held],
                       [(value, str(label)) for value, label in Sex.choices], counts,
                       notes=[period_note(years)])


def indicators(table: Table, years: Years) -> list[Indicator]:
    n_years = len(years.columns)
    found = []
    for code, _label in table.rows:
        for group in ("total", *SEX_GROUPS):
            count = table.row_total(code) if group == "total" else table.cell(code, SEX_GROUPS[group])
            figure = population(code, group)
            item = Indicator(code, group, count, figure.population if figure else None,
                             source=f"{figure.source}, {figure.census}" if figure else "")
            if count is not SUPPRESSED and item.population:
                person_years = item.population * n_years
                low, high = poisson_interval(count)
                item.rate = PER * count / person_years
                item.low, item.high = PER * low / person_years, PER * high / person_years
            found.append(item)
    for group in ("total", *SEX_GROUPS):
        rated = [i for i in found if i.group == group and i.rate is not None]
        if not rated:
            continue
        regional = PER * sum(i.count for i in rated) / sum(i.population * n_years for i in rated)
        for item in rated:
            item.regional = regional
            item.flagged = len(rated) > 1 and item.low > regional
    return found

"""The figures the seed paper quotes, recomputed from the node's exploitation records.

Definitions (the paper does not spell them out; these are the node's):

* a victim is a person with an exploitation record, counted once per year of registration
  (a merged duplicate counts as its survivor);
* labour exploitation: forced labour, forced begging or forced criminality;
* shares of forms are shares of the victims of the period with at least one form: sexual
  exploitation, forced begging, other labour exploitation (forced labour or forced
  criminality); a victim with several forms counts in each, so shares may add up to over 100 %;
* minors: victims with a record made while they were minors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from crossroads.registry.models import ExploitationRecord

LABOUR_FORMS = {"forced_labour", "forced_begging", "forced_criminality"}
OTHER_LABOUR_FORMS = {"forced_labour", "forced_criminality"}

# As the seed paper gives them (victims identified in the region, 2018-2023).
PAPER = {
    "labour_total": 767, "labour_min": 83, "labour_max": 173, "labour_mean": 128,
    "share_sexual": 49.0, "share_begging": 27.0, "share_other_labour": 16.5,
}


@dataclass
class SeedFigures:
    first_year: int
    last_year: int
    labour_per_year: dict[int, int]
    victims: int                      # victim-years with at least one form
    sexual: int
    begging: int
    other_labour: int
    minors: int

    @property
    def labour_total(self) -> int:
        return sum(self.labour_per_year.values())

    @property
    def labour_min(self) -> int:
        return min(self.labour_per_year.values(), default=0)

    @property
    def labour_max(self) -> int:
        return max(self.labour_per_year.values(), default=0)

    @property
    def labour_mean(self) -> float:
        return self.labour_total / len(self.labour_per_year) if self.labour_per_year else 0.0

    def share(self, count: int) -> float:
        return 100.0 * count / self.victims if self.victims else 0.0


def seed_figures(first_year: int = 2018, last_year: int = 2023,
                 jurisdiction: str | None = None) -> SeedFigures:
    records = ExploitationRecord.objects.filter(year_of_registration__gte=first_year,
                                                year_of_registration__lte=last_year)
    if jurisdiction:
        records = records.filter(case__jurisdiction_id=jurisdiction)
    # (year, victim) -> forms and minority over all of the victim's records of that year
    forms: dict[tuple[int, int], set[str]] = defaultdict(set)
    minor: dict[tuple[int, int], bool] = defaultdict(bool)
    for record in records.select_related("person").order_by("id").iterator(chunk_size=2000):
        key = (record.year_of_registration, record.person.merged_into_id or record.person_id)
        forms[key] |= set(record.forms)
        minor[key] |= record.is_minor
    labour = dict.fromkeys(range(first_year, last_year + 1), 0)
    victims = sexual = begging = other_labour = minors = 0
    for key, codes in forms.items():
        if not codes:
            continue
        victims += 1
        labour[key[0]] += bool(codes & LABOUR_FORMS)
        sexual += "sexual" in codes
        begging += "forced_begging" in codes
        other_labour += bool(codes & OTHER_LABOUR_FORMS)
        minors += minor[key]
    return SeedFigures(first_year, last_year, labour, victims, sexual, begging, other_labour, minors)


def format_report(figures: SeedFigures) -> str:
    f = figures
    period = f"{f.first_year}-{f.last_year}"
    lines = [f"Seed figures recomputed from the node's exploitation records, {period}",
             f"({f.victims} victim-years with a form of exploitation; see "
             "crossroads.statistics.figures for the definitions)", "",
             f"{'figure':<44} {'node':>10} {'seed paper':>12}",
             f"{'victims of labour exploitation, by year':<44}"]
    for year, count in f.labour_per_year.items():
        lines.append(f"  {year:<42} {count:>10} {'':>12}")
    paper_period = (f.first_year, f.last_year) == (2018, 2023)

    def paper(key, fmt="{}"):
        return fmt.format(PAPER[key]) if paper_period or key.startswith("share") else "-"

    lines += [
        f"{'  total':<44} {f.labour_total:>10} {paper('labour_total'):>12}",
        f"{'  range (lowest-highest year)':<44} {f'{f.labour_min}-{f.labour_max}':>10} "
        f"{(paper('labour_min') + '-' + paper('labour_max')) if paper_period else '-':>12}",
        f"{'  mean per year':<44} {f.labour_mean:>10.1f} {paper('labour_mean'):>12}",
        f"{'share of forms of exploitation':<44}",
        f"{'  sexual exploitation':<44} {f.share(f.sexual):>9.1f}% {paper('share_sexual', '{:.1f}%'):>12}",
        f"{'  forced begging':<44} {f.share(f.begging):>9.1f}% {paper('share_begging', '{:.1f}%'):>12}",
        f"{'  other labour exploitation':<44} {f.share(f.other_labour):>9.1f}% "
        f"{paper('share_other_labour', '{:.1f}%'):>12}",
        f"{'share of minors':<44} {f.share(f.minors):>9.1f}% {'-':>12}",
    ]
    return "\n".join(line.rstrip() for line in lines)

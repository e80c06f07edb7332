"""The figures the seed paper quotes, recomputed from the node's exploitation records.

Definitions (the paper does not spell them out; these are the node's):

* a victim is a person with an exploitation record, counted once per year of registration
  (a merged duplicate counts as its survivor);
* labour exploitation: forced labour, forced begging or forced criminality;
* shares of forms are shares of the victims of the period with at least one form: sexual
  exploitation, forced begging, other labour exploitation (forced labour or forced
  criminality); a victim with several forms counts in each, so shares may add up to over 100 %;
* minors: victims with a record made while they were minors.

The third column, the published figures (`PublishedFigures`), is filled by the monitor from its
shipped reference data; this module only defines its shape and prints it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from crossroads.registry.models import ExploitationRecord

LABOUR_FORMS = {"forced_labour", "forced_begging", "forced_criminality"}
OTHER_LABOUR_FORMS = {"forced_labour", "forced_criminality"}

# As the seed paper gives them (victims identified in the region, 2018-2023).
PAPER = {
    "labour_total": 767, "labour_min": 83, "labour_max": 173, "labour_mean": 128,
    "share_sexual": 49.0, "share_begging": 27.0, "share_other_labour": 16.5,
}
PAPER_PERIOD = (2018, 2023)


@dataclass
class SeedFigures:
    first_year: int
    last_year: int
    labour_per_year: dict[int, int]
    victims_per_year: dict[int, int]
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
    per_year = dict(labour)
    victims = sexual = begging = other_labour = minors = 0
    for key, codes in forms.items():
        if not codes:
            continue
        victims += 1
        per_year[key[0]] += 1
        labour[key[0]] += bool(codes & LABOUR_FORMS)
        sexual += "sexual" in codes
        begging += "forced_begging" in codes
        other_labour += bool(codes & OTHER_LABOUR_FORMS)
        minors += minor[key]
    return SeedFigures(first_year, last_year, labour, per_year, victims, sexual, begging,
                       other_labour, minors)


@dataclass
class PublishedFigures:
    """Victims identified per year as published (every form; None: no jurisdiction published)."""
    jurisdictions: list[str]
    victims_per_year: dict[int, int | None]
    reporting: dict[int, list[str]]         # year -> the jurisdictions whose figure is in the sum
    sources: list[str] = field(default_factory=list)
    source: str = ""

    def complete_years(self) -> list[int]:
        return [year for year, codes in self.reporting.items()
                if set(codes) >= set(self.jurisdictions)]


NOT_PUBLISHED = "n/p"


def _published_cell(published: PublishedFigures | None, year: int) -> str:
    if published is None or published.victims_per_year.get(year) is None:
        return "-"
    codes = published.reporting[year]
    total = published.victims_per_year[year]
    everyone = len(published.jurisdictions)
    return f"{total}" if len(codes) == everyone else f"{total} ({len(codes)}/{everyone})"


def comparison(published: PublishedFigures) -> list[str]:
    """What the published series say about the paper's figures, as sentences."""
    lines = ["Published figures against the seed paper:"]
    if len(published.jurisdictions) == 1:
        return lines + ["  the paper's figures are regional; a single jurisdiction is not compared."]
    missing = [year for year in range(PAPER_PERIOD[0], PAPER_PERIOD[1] + 1)
               if published.victims_per_year.get(year) is None]
    complete = [year for year in published.complete_years()
                if PAPER_PERIOD[0] <= year <= PAPER_PERIOD[1]]
    lines.append("  the published series count victims of every form and are not broken down by "
                 f"form or age ({NOT_PUBLISHED}): the paper's labour figures and shares cannot be "
                 "recomputed from them; counting rules differ (potential or official victims).")
    if missing:
        lines.append(f"  no jurisdiction published a figure for {', '.join(map(str, missing))}: "
                     f"the paper's period {PAPER_PERIOD[0]}-{PAPER_PERIOD[1]} cannot be checked in full.")
    below = [year for year in complete if published.victims_per_year[year] < PAPER["labour_min"]]
    for year in below:
        lines.append(f"  DISAGREES: {year}: {published.victims_per_year[year]} victims of all forms "
                     f"published, fewer than the paper's lowest yearly count of labour victims "
                     f"({PAPER['labour_min']}).")
    if complete:
        labour_share = (PAPER["share_begging"] + PAPER["share_other_labour"]) / 100
        implied = PAPER["labour_mean"] / labour_share
        mean = sum(published.victims_per_year[year] for year in complete) / len(complete)
        ratio = mean / implied
        verdict = ("agrees within 25 %" if 0.75 <= ratio <= 1.25 else
                   "DISAGREES by more than 25 %")
        lines.append(
            f"  years published by all six: {', '.join(map(str, complete))}, {mean:.0f} victims a "
            f"year on average; the paper's {PAPER['labour_mean']} labour victims a year at a "
            f"{labour_share:.1%} labour share imply {implied:.0f} victims a year of all forms: "
            f"{verdict} (ratio {ratio:.2f}).")
    elif not below:
        lines.append("  no year of the period was published by all six jurisdictions.")
    return lines


def format_report(figures: SeedFigures, published: PublishedFigures | None = None) -> str:
    f = figures
    period = f"{f.first_year}-{f.last_year}"
    lines = [f"Seed figures recomputed from the node's exploitation records, {period}",
             f"({f.victims} victim-years with a form of exploitation; see "
             "crossroads.statistics.figures for the definitions)"]
    if published is not None:
        lines.append(f"published: victims identified as published per jurisdiction and year, "
                     f"summed ({published.source}); 'n (k/6)': only k jurisdictions published; "
                     f"{NOT_PUBLISHED}: the published series have no such breakdown")
    lines += ["", f"{'figure':<44} {'node':>10} {'published':>12} {'seed paper':>12}",
              f"{'victims of all forms, by year':<44}"]
    for year, count in f.victims_per_year.items():
        lines.append(f"  {year:<42} {count:>10} {_published_cell(published, year):>12} {'':>12}")
    lines.append(f"{'victims of labour exploitation, by year':<44}")
    unpublished = NOT_PUBLISHED if published is not None else "-"
    for year, count in f.labour_per_year.items():
        lines.append(f"  {year:<42} {count:>10} {unpublished:>12} {'':>12}")
    regional = published is None or len(published.jurisdictions) > 1
    paper_period = (f.first_year, f.last_year) == PAPER_PERIOD and regional

    def paper(key, fmt="{}"):
        return fmt.format(PAPER[key]) if paper_period or (regional and key.startswith("share")) else "-"

    lines += [
        f"{'  total':<44} {f.labour_total:>10} {unpublished:>12} {paper('labour_total'):>12}",
        f"{'  range (lowest-highest year)':<44} {f'{f.labour_min}-{f.labour_max}':>10} {unpublished:>12} "
        f"{(paper('labour_min') + '-' + paper('labour_max')) if paper_period else '-':>12}",
        f"{'  mean per year':<44} {f.labour_mean:>10.1f} {unpublished:>12} {paper('labour_mean'):>12}",
        f"{'share of forms of exploitation':<44}",
        f"{'  sexual exploitation':<44} {f.share(f.sexual):>9.1f}% {unpublished:>12} "
        f"{paper('share_sexual', '{:.1f}%'):>12}",
        f"{'  forced begging':<44} {f.share(f.begging):>9.1f}% {unpublished:>12} "
        f"{paper('share_begging', '{:.1f}%'):>12}",
        f"{'  other labour exploitation':<44} {f.share(f.other_labour):>9.1f}% {unpublished:>12} "
        f"{paper('share_other_labour', '{:.1f}%'):>12}",
        f"{'share of minors':<44} {f.share(f.minors):>9.1f}% {unpublished:>12} {'-':>12}",
    ]
    if published is not None:
        lines += ["", *comparison(published), "", "Sources of the published figures:",
                  *(f"  {source}" for source in published.sources)]
    return "\n".join(line.rstrip() for line in lines)

"""The published yearly figures of the shipped reference (data/jurisdictions.yaml) as the
third column of `report seed-figures`: victims identified per year, summed over the
jurisdictions that published a figure for that year, each figure with its source.

The published series count victims of every form (some jurisdictions only official victims,
others potential ones as well; `counting` says which) and are not broken down by form, age or
sex: the paper's labour figures and shares cannot be recomputed from them, and the report says
so instead of printing a number."""

from crossroads.statistics.figures import PublishedFigures

from . import reference


def published_figures(first_year: int, last_year: int,
                      jurisdiction: str | None = None) -> PublishedFigures:
    codes = [jurisdiction] if jurisdiction else list(reference.CODES)
    entries = reference.jurisdictions()
    years = range(first_year, last_year + 1)
    totals: dict[int, int] = dict.fromkeys(years, 0)
    reporting: dict[int, list[str]] = {year: [] for year in years}
    sources: list[str] = []
    for code in codes:
        for row in (entries.get(reference.CODES[code]) or {}).get("victims_identified") or []:
            year, total = row.get("reference_year"), row.get("total")
            if year in totals and total is not None:
                totals[year] += int(total)
                reporting[year].append(code)
                sources.append(f"{code} {year}: {total} ({row.get('counting')}; "
                               f"{row.get('reported_in')}) {row.get('source')}")
    return PublishedFigures(
        jurisdictions=codes,
        victims_per_year={year: totals[year] if reporting[year] else None for year in years},
        reporting=reporting, sources=sources,
        source=f"{reference.JURISDICTIONS.name} sha256:{reference.digest(reference.JURISDICTIONS)[:12]}")

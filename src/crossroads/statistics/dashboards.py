"""The dashboard pages as services: what each page shows, for the web pages, the CSV
downloads and the API alike. Every answer is built from suppressed tables and audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.access.choices import JURISDICTION_NAMES

from . import criminal_justice, funnels, indicators, trends
from .aggregates import (
    Table,
    Years,
    audit_read,
    build_table,
    default_years,
    dimension_table,
    parse_years,
)
from .choropleth import choropleth_svg, shapes
from .dimensions import DIMENSIONS, GROUPS, SPECIAL
from .summary import Counter


@dataclass(frozen=True)
class Page:
    title: Promise
    tables: tuple[str, ...]


PAGES = {
    **{name: Page(title, tuple(dims)) for name, (title, dims) in GROUPS.items()},
    "trends": Page(gettext_lazy("Trends"), ("victims_per_year", "form")),
    "funnel": Page(gettext_lazy("Identification to conviction"), ("funnel",)),
    "indicators": Page(gettext_lazy("Risk indicators"), ("indicator_counts",)),
}
PAGES["places"] = Page(PAGES["places"].title, ("region_map", *PAGES["places"].tables))
# Counted per suspect from the proceedings (criminal_justice), not from the victims' records.
PAGES["justice"] = Page(gettext_lazy("Criminal justice"), criminal_justice.TABLE_NAMES)
TABLE_NAMES = sorted({name for page in PAGES.values() for name in page.tables})


def region_table(years: Years, counts: dict, *, suppress: bool = True) -> Table:
    """Victims by country of exploitation, the six jurisdictions only (the map's table)."""
    dimension = DIMENSIONS["country_of_exploitation"]
    counts = {key: n for key, n in counts.items() if key[0] in shapes()}
    return build_table("region_map", _("Victims exploited in the region, by jurisdiction"),
                       str(dimension.label),
                       [(code, str(JURISDICTION_NAMES.get(code, code))) for code in sorted(shapes())],
                       years.labelled, counts, suppress=suppress)


def _build(name: str, counter: Counter, years: Years) -> Table:
    """One table; suppressed unless the reader is entitled to every count behind it (the
    risk indicators, counted over every jurisdiction, and the special categories are
    suppressed for everyone)."""
    suppress = not counter.entitled or name in SPECIAL
    if name == "victims_per_year":
        return trends.victims_per_year(years, counter("victims", years), suppress=suppress)
    if name == "funnel":
        return funnels.funnel_table(years, counter("funnel", years), suppress=suppress)
    if name == "indicator_counts":
        return indicators.counts_table(counter, years)
    if name == "region_map":
        return region_table(years, counter("country_of_exploitation", years), suppress=suppress)
    return dimension_table(name, years, counter(name, years), suppress=suppress)


@dataclass
class Dashboard:
    page: str
    title: str
    years: Years
    tables: list[Table]
    alerts: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    map_svg: str = ""
    map_legend: list = field(default_factory=list)


def _noted(counter: Counter, tables: list[Table]) -> list[Table]:
    for table in tables:
        table.notes += counter.notes()
    return tables


FIXED_PERIOD_TABLES = {"indicator_counts"}


def _years(counter: Counter, params: Mapping, tables=()) -> Years:
    """The years asked for; a table counted over fixed periods only (the risk indicators)
    gets the whole period holding the last year asked for."""
    years = parse_years(params, default_years(counter.user))
    if FIXED_PERIOD_TABLES & set(tables):
        return indicators.period_of(years.last)
    return years


def dashboard(user, page: str, params: Mapping, *, via: str = "page") -> Dashboard:
    """The tables of one dashboard page (ValidationError for bad filters, PolicyDenied for a
    user without the capability), audited as one aggregated read."""
    spec = PAGES[page]
    if page == "justice":
        years, tables = criminal_justice.justice_tables(user, params, via=via)
        return Dashboard(page, str(spec.title), years, tables)
    counter = Counter(user)
    years = _years(counter, params, spec.tables)
    tables = _noted(counter, [_build(name, counter, years) for name in spec.tables])
    result = Dashboard(page, str(spec.title), years, tables)
    if page == "trends":
        result.alerts = [a for t in tables for a in trends.alerts(t)]
    if page == "indicators":
        result.indicators = indicators.indicators(tables[0], years)
    if page == "places":
        region = tables[0]
        result.map_svg, result.map_legend = choropleth_svg(
            {code: total for (code, _l), total in zip(region.rows, region.row_totals, strict=True)},
            region.title)
    audit_read(user, page, years.as_query(), tables, via=via)
    return result


def table(user, name: str, params: Mapping, *, via: str, export: bool) -> tuple[Table, Years]:
    """One table (a CSV download or an API answer) and its years, audited."""
    if name in criminal_justice.TABLE_NAMES:
        years, tables = criminal_justice.justice_tables(user, params, via=via, export=export)
        return next(t for t in tables if t.name == name), years
    counter = Counter(user)
    years = _years(counter, params, [name])
    [result] = _noted(counter, [_build(name, counter, years)])
    audit_read(user, name, years.as_query(), [result], export=export, via=via)
    return result, years

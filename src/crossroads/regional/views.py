from django.conf import settings
from django.shortcuts import render

from crossroads.access.policy import require_capability
from crossroads.exchange.hub import is_hub
from crossroads.pages import page_view
from crossroads.statistics.choices import COLUMN_LABELS, TABLE_LABELS, TABLE_NOTES, value_label
from crossroads.statistics.releases import TABLES

from . import services


@page_view
def regional_page(request):
    """The hub's regional dashboard: one released table over every jurisdiction."""
    require_capability(request.user, "view_regional_statistics")
    if not is_hub():  # a node holds no regional figures: they are on the hub
        hub_url = settings.CROSSROADS_HUB_URL.rstrip("/")
        return render(request, "regional/regional.html", {
            "on_node": True, "hub_url": f"{hub_url}/regional/" if hub_url else ""})
    releases = services.latest_releases(request.user)
    name = request.GET.get("table")
    name = name if name in TABLES else next(iter(TABLES))
    columns = services.table_columns(releases, name) if releases else []
    column = request.GET.get("column") or None
    column = column if column in columns else None
    rows_variable, columns_variable = TABLES[name]
    table = services.regional_table(releases, name, column) if releases else None
    table = table if table and table.jurisdictions else None  # nobody released this table yet
    return render(request, "regional/regional.html", {
        "releases": releases.values(), "name": name, "column": column,
        "tables": [(n, TABLE_LABELS[n]) for n in TABLES],
        "columns": [(c, value_label(columns_variable, c)) for c in columns],
        "rows_label": COLUMN_LABELS[rows_variable],
        "columns_label": COLUMN_LABELS[columns_variable],
        "column_label": value_label(columns_variable, column) if column else None,
        "table": table, "note": TABLE_NOTES.get(name),
        "rows": [(value_label(rows_variable, row.value), [row.parts[j] for j in table.jurisdictions],
                  row) for row in table.rows] if table else []})


@page_view
def heat_map_page(request):
    """The hub's regional heat map: each jurisdiction's latest published scorecard, per pillar
    and per instrument (the number always printed; colour only decorates)."""
    from crossroads.monitor.choices import Instrument, Pillar

    from . import scorecards

    require_capability(request.user, "view_regional_statistics")
    if not is_hub():
        hub_url = settings.CROSSROADS_HUB_URL.rstrip("/")
        return render(request, "regional/heatmap.html", {
            "on_node": True, "hub_url": f"{hub_url}/regional/scorecards/" if hub_url else ""})
    return render(request, "regional/heatmap.html", {
        "rows": scorecards.heat_map(request.user), "pillars": Pillar.choices,
        "instruments": Instrument.choices})

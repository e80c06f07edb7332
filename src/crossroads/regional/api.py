"""Regional statistics routes of the JSON API (on the hub): combined released aggregates."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from crossroads.access.policy import require_capability
from crossroads.statistics.releases import TABLES

from . import services
from .schemas import HeatMapOut, Overview, TableOut

router = Router(tags=["regional"])


def _releases(request):
    require_capability(request.auth, "view_regional_statistics")
    return services.latest_releases(request.auth)


@router.get("/regional/tables", response=Overview)
def overview(request):
    """The latest release of each jurisdiction and the tables that can be combined."""
    releases = _releases(request)
    return {"releases": list(releases.values()), "tables": [
        {"name": name, "rows": rows, "columns": columns,
         "column_values": services.table_columns(releases, name)}
        for name, (rows, columns) in TABLES.items()]}


@router.get("/regional/tables/{name}", response=TableOut)
def table(request, name: str, column: str | None = None):
    """One table over every jurisdiction: a row per value of its row variable, for one value
    of its column variable (`column`) or for all of them. `parts` are null where a node
    suppressed the cell; `lower_bound` says the regional total then only counts what is shown."""
    releases = _releases(request)
    if name not in TABLES:
        raise Http404
    if column is not None and column not in services.table_columns(releases, name):
        raise ValidationError({"column": _("Not a value of this table's column variable.")})
    combined = services.regional_table(releases, name, column)
    return {"name": name, "rows": TABLES[name][0], "columns": TABLES[name][1], "column": column,
            "jurisdictions": combined.jurisdictions, "items": combined.rows,
            "column_totals": combined.column_totals, "total": combined.total}


def _cell(cell) -> dict:
    group = cell.group
    return {"key": cell.key, "published": group is not None,
            "counts": group.counts if group else None, "score": cell.score,
            "unknown_share": group.unknown_share if group else None}


@router.get("/regional/scorecards", response=HeatMapOut)
def heat_map(request):
    """The regional heat map: each jurisdiction's latest published scorecard, per pillar and
    instrument (`published` false and null scores where it published none)."""
    from crossroads.monitor.services.scorecards import SCORE_RULE

    from .scorecards import heat_map as rows

    require_capability(request.auth, "view_regional_statistics")
    return {"score_rule": SCORE_RULE, "items": [
        {"jurisdiction": row.jurisdiction, "year": row.card.year if row.card else None,
         "version": row.card.version if row.card else None,
         "closed_on": row.card.closed_on if row.card else None,
         "pillars": [_cell(c) for c in row.pillars],
         "instruments": [_cell(c) for c in row.instruments]} for row in rows(request.auth)]}

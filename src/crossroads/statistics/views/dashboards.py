"""The coordinators' statistics dashboards and their CSV downloads (services in
crossroads.statistics.dashboards; every table there is suppressed and every read audited)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from crossroads.pages import page_view
from crossroads.statistics import dashboards

CHART_KINDS = {"victims_per_year": "line", "funnel": "bar", "indicator_counts": "bar"}


@page_view
def statistics_page(request, page="victims"):
    if page not in dashboards.PAGES:
        raise Http404
    errors = {}
    try:
        board = dashboards.dashboard(request.user, page, request.GET)
    except ValidationError as error:
        errors = error.message_dict
        board = dashboards.dashboard(request.user, page, {})
    charts = [{"table": t, "data": {**t.as_dict(), "kind": CHART_KINDS.get(t.name, "bar")},
               "chart_id": f"chart-{t.name}"} for t in board.tables if t.name != "region_map"]
    return render(request, "statistics/statistics.html", {
        "board": board, "charts": charts, "errors": errors,
        "region": board.tables[0] if page == "places" else None,
        "pages": [(name, spec.title) for name, spec in dashboards.PAGES.items()],
        "filters": {"year_from": request.GET.get("year_from", board.years.first),
                    "year_to": request.GET.get("year_to", board.years.last)},
        "query": f"year_from={board.years.first}&year_to={board.years.last}",
    }, status=400 if errors else 200)


@page_view
def statistics_csv(request, name):
    if name not in dashboards.TABLE_NAMES:
        raise Http404
    try:
        table, years = dashboards.table(request.user, name, request.GET, via="csv", export=True)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()),
            content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{years.first}-{years.last}.csv"')
    table.write_csv(response)
    return response

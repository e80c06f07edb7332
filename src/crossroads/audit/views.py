from django.shortcuts import render

from crossroads.audit.queries import filter_entries
from crossroads.pages import page_view, paginate, query_without_page


@page_view
def audit_log(request):
    filters = {k: request.GET.get(k, "") for k in ("actor", "action", "outcome", "object_type")}
    filters["break_glass"] = bool(request.GET.get("break_glass"))
    qs = filter_entries(request.user, filters)
    return render(request, "audit/audit_log.html", {
        "page": paginate(request, qs, 50), "filters": filters, "query": query_without_page(request)})

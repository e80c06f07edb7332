from django.shortcuts import render

from crossroads.access.policy import require_capability
from crossroads.audit.services import record_identity_read
from crossroads.registry import queries

from ..forms import SearchForm
from .common import page_view, paginate, query_without_page


@page_view
def person_search(request):
    require_capability(request.user, "search_persons")
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = paginate(request, queries.filter_persons(request.user,
                                                           name=form.cleaned_data["q"]))
        record_identity_read(request.user, list(results), context="person search")
    template = "web/person_results.html" if request.headers.get("HX-Request") else "web/person_search.html"
    return render(request, template, {"form": form, "page": results,
                                      "query": query_without_page(request)})


@page_view
def person_page(request, person_id):
    person = queries.person_detail(request.user, person_id)
    record_identity_read(request.user, [person], context="person page")
    return render(request, "web/person_page.html", {"person": person})

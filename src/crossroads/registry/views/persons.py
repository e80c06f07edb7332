from django.shortcuts import render

from crossroads.access.policy import may, require_capability
from crossroads.pages import page_view, paginate, query_without_page
from crossroads.registry import queries
from crossroads.registry.forms import SearchForm


@page_view
def person_search(request):
    require_capability(request.user, "search_persons")
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = queries.persons_page(request.user, lambda qs: paginate(request, qs),
                                       context="person search", name=form.cleaned_data["q"])
    template = ("registry/person_results.html" if request.headers.get("HX-Request")
                else "registry/person_search.html")
    return render(request, template, {"form": form, "page": results,
                                      "query": query_without_page(request)})


@page_view
def person_page(request, person_id):
    user = request.user
    shown = queries.person_page(user, person_id, context="person page")
    return render(request, "registry/person_page.html", {
        "person": shown.person, "merged": shown.merged, "survivor": shown.survivor,
        "duplicates": shown.duplicates, "may_review": may(user, "review_duplicates")})

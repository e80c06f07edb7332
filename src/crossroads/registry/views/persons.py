from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters

from crossroads.access.policy import may, require_capability
from crossroads.pages import page_view, paginate
from crossroads.registry import queries
from crossroads.registry.forms import SearchForm


@sensitive_post_parameters("q")
@page_view
def person_search(request):
    """A name search by POST, the page number with it: the name never sits in a URL, so it
    reaches neither the browser's history nor a proxy's or the server's access log."""
    require_capability(request.user, "search_persons")
    form = SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if form.is_valid():
        results = queries.search_page(
            request.user, form.cleaned_data["q"],
            lambda qs: paginate(request, qs, number=request.POST.get("page")), context="person search")
    template = ("registry/person_results.html" if request.headers.get("HX-Request")
                else "registry/person_search.html")
    return render(request, template, {"form": form, "page": results})


@page_view
def person_page(request, person_id):
    user = request.user
    shown = queries.person_page(user, person_id, context="person page")
    return render(request, "registry/person_page.html", {
        "person": shown.person, "merged": shown.merged, "survivor": shown.survivor,
        "duplicates": shown.duplicates, "may_review": may(user, "review_duplicates")})

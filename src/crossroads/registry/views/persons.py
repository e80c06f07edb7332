from django.shortcuts import render

from crossroads.access.policy import VIEW, may, require_capability
from crossroads.pages import page_view, paginate, query_without_page
from crossroads.registry import extensions, queries
from crossroads.registry.forms import SearchForm
from crossroads.registry.models import Person
from crossroads.registry.queries import record_identity_read


@page_view
def person_search(request):
    require_capability(request.user, "search_persons")
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = paginate(request, queries.filter_persons(request.user,
                                                           name=form.cleaned_data["q"]))
        record_identity_read(request.user, list(results), context="person search")
    template = ("registry/person_results.html" if request.headers.get("HX-Request")
                else "registry/person_search.html")
    return render(request, template, {"form": form, "page": results,
                                      "query": query_without_page(request)})


@page_view
def person_page(request, person_id):
    user = request.user
    person = queries.person_detail(user, person_id)
    # Records confirmed as this person, and the one this record is merged into, as far as the
    # user may see them; their cases are listed under this person.
    merged = list(queries.merged_persons(user, person))
    survivor = (Person.objects.restrict(user, VIEW).filter(pk=person.merged_into_id).first()
                if person.merged_into_id else None)
    duplicates = extensions.extras("person", user, person, [person]).get("duplicates", {}).get(
        person.pk, [])
    record_identity_read(user, [person, *merged, *([survivor] if survivor else []),
                                *(row["person"] for row in duplicates)], context="person page")
    return render(request, "registry/person_page.html", {
        "person": person, "merged": merged, "survivor": survivor, "duplicates": duplicates,
        "may_review": may(user, "review_duplicates")})

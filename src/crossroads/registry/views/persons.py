from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from crossroads.access.policy import CHANGE, can, get_visible_or_404, may, require_capability
from crossroads.pages import apply_service_errors, page_view, paginate
from crossroads.registry import queries, services
from crossroads.registry.forms import SearchForm, VulnerabilityForm
from crossroads.registry.models import Person


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


def _person_page(request, person_id, vulnerability_form=None, status=200):
    user = request.user
    shown = queries.person_page(user, person_id, context="person page")
    return render(request, "registry/person_page.html", {
        "person": shown.person, "merged": shown.merged, "survivor": shown.survivor,
        "duplicates": shown.duplicates, "may_review": may(user, "review_duplicates"),
        "vulnerabilities": shown.vulnerabilities,
        "may_record_vulnerability": may(user, "record_vulnerability")
        and can(user, CHANGE, shown.person),
        "vulnerability_form": vulnerability_form or VulnerabilityForm()}, status=status)


@page_view
def person_page(request, person_id):
    return _person_page(request, person_id)


@page_view
@require_POST
def person_vulnerability(request, person_id):
    """Record a vulnerable group of the person (special category: only with a legal basis)."""
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    form = VulnerabilityForm(request.POST)
    if form.is_valid():
        try:
            services.record_vulnerability(request.user, person, **form.cleaned_data)
            messages.success(request, _("Vulnerable group recorded."))
            return redirect("person-page", person_id=person.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
    return _person_page(request, person_id, form, status=422)

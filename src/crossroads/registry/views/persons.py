from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from crossroads.access.policy import CHANGE, can, get_visible_or_404, may, require_capability
from crossroads.audit.services import stated_purpose
from crossroads.pages import apply_service_errors, page_view, paginate
from crossroads.registry import queries, services
from crossroads.registry.forms import (
    DocumentFormSet,
    PersonEditForm,
    SearchForm,
    VulnerabilityForm,
    documents_initial,
    typed_values,
)
from crossroads.registry.models import Person
from crossroads.registry.views import purpose
from crossroads.versions import StaleVersion, stale_message


@sensitive_post_parameters("q")
@page_view
def person_search(request):
    """A name search by POST, the page number with it: the name never sits in a URL, so it
    reaches neither the browser's history nor a proxy's or the server's access log."""
    require_capability(request.user, "search_persons")
    stated = purpose.search_purpose(request)
    if not stated:  # the results list identities: a purpose first
        return purpose.ask(request, then=reverse("person-search"))
    form = SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if form.is_valid():
        with stated_purpose(stated):
            results = queries.search_page(
                request.user, form.cleaned_data["q"],
                lambda qs: paginate(request, qs, number=request.POST.get("page")),
                context="person search")
    template = ("registry/person_results.html" if request.headers.get("HX-Request")
                else "registry/person_search.html")
    return render(request, template, {"form": form, "page": results})


def _person_page(request, person_id, vulnerability_form=None, status=200):
    user = request.user
    stated = purpose.person_purpose(request, person_id)
    if not stated:  # opened without a case: the reader says why first
        queries.check_person(user, person_id)  # a person they may not see: 404 first
        return purpose.ask(request, then=reverse("person-page", args=[person_id]))
    with stated_purpose(stated):
        shown = queries.person_page(user, person_id, context="person page")
    return render(request, "registry/person_page.html", {
        "person": shown.person, "merged": shown.merged, "survivor": shown.survivor,
        "duplicates": shown.duplicates, "may_review": may(user, "review_duplicates"),
        "vulnerabilities": shown.vulnerabilities,
        "may_record_vulnerability": may(user, "record_vulnerability")
        and can(user, CHANGE, shown.person), "may_edit": can(user, CHANGE, shown.person),
        "vulnerability_form": vulnerability_form or VulnerabilityForm()}, status=status)


@page_view
def person_page(request, person_id):
    return _person_page(request, person_id)


@page_view
@require_POST
def person_vulnerability(request, person_id):
    """Record a vulnerable group of the person (special category: only with a legal basis)."""
    with stated_purpose(purpose.person_purpose(request, person_id)):
        return _vulnerability(request, person_id)


def _vulnerability(request, person_id):
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


def _edit_page(request, person, form, documents, *, typed=(), status=200):
    return render(request, "registry/person_edit.html", {
        "person_id": person.pk, "form": form, "documents": documents, "typed": typed},
        status=status)


def _filled(request, person_id, context: str, **extra):
    """The form filled from the record as it is now (an audited identity read), once the
    reader has a purpose for the person (else the purpose form)."""
    stated = purpose.person_purpose(request, person_id)
    if not stated:
        queries.check_person(request.user, person_id, change=True)
        return purpose.ask(request, then=reverse("person-edit", args=[person_id]))
    with stated_purpose(stated):
        person = queries.person_to_edit(request.user, person_id, context=context)
    return _edit_page(request, person, PersonEditForm(initial=PersonEditForm.initial_of(person)),
                      DocumentFormSet(initial=documents_initial(person), prefix="documents"),
                      **extra)


def _show_errors(form, documents, rows: list[int], error: ValidationError) -> None:
    """The service's errors at the fields: `documents.<i>.…` at the i-th document sent (the
    form row `rows[i]`), the rest on the person's form."""
    others = {}
    for name, messages_ in error.message_dict.items():
        parts = name.split(".")
        if parts[0] == "documents" and len(parts) > 2 and parts[1].isdigit():
            apply_service_errors(documents.forms[rows[int(parts[1])]],
                                 ValidationError({".".join(parts[2:]): messages_}))
        else:
            others[name] = messages_
    if others:
        apply_service_errors(form, ValidationError(others))


@sensitive_post_parameters()
@page_view
def person_edit(request, person_id):
    """The person's identity record, replaced as the API's PUT replaces it (the same service,
    from the version the form was filled from): a form built from an older read is refused,
    the record as it is now shown with what was typed beside it."""
    if request.method != "POST":
        return _filled(request, person_id, "person edit")
    with stated_purpose(purpose.person_purpose(request, person_id)):
        return _save(request, person_id)


def _save(request, person_id):
    user = request.user
    person = get_visible_or_404(Person.objects.all(), user, pk=person_id)
    form = PersonEditForm(request.POST)
    documents = DocumentFormSet(request.POST, prefix="documents")
    valid = all([form.is_valid(), documents.is_valid()])  # both, for every mistake at once
    sent = [(row, doc) for row, doc in enumerate(d.document_input() for d in documents.forms) if doc]
    data = form.person_input([doc for _row, doc in sent])
    version = form.cleaned_data.get("version")
    try:
        if not valid:
            services.check_person_update(user, person, data, version=version)
        else:
            services.update_person(user, person, data, version=version)
            messages.success(request, _("Identity record saved."))
            return redirect("person-page", person_id=person.pk)
    except ValidationError as error:
        _show_errors(form, documents, [row for row, _doc in sent], error)
    except StaleVersion:  # another change came first: the record as it is now, and the input
        messages.error(request, stale_message())
        return _filled(request, person_id, "person edit conflict",
                       typed=typed_values(form, documents), status=409)
    if documents.total_error_count():
        form.add_error(None, _("Correct the identity documents below."))
    return _edit_page(request, person, form, documents, status=422)

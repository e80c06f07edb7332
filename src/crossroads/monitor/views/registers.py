"""The agreements register and the funding lines: lists with filters, a record's page, and the
coordinator's form to record or correct one (a correction carries the version it was filled
from; a stale one shows what is stored now and saves nothing)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE
from crossroads.access.policy import can, may, require, require_capability
from crossroads.countries import choices as country_choices
from crossroads.pages import apply_service_errors, page_view, paginate, query_without_page
from crossroads.versions import StaleVersion, stale_message

from .. import queries, services
from ..choices import AgreementKind, AgreementScope, AgreementStatus, FundingSource, RecipientKind
from ..forms import DOCUMENT_ROWS, PARTY_ROWS, AgreementForm, FundingForm
from ..rules import MANAGE_REGISTERS


def _choice(request, name: str, allowed) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def _save(request, form, save, reload, show_errors=None):
    """Run `save(form)` for a valid form: the saved record, or None with the form's errors
    (422) or, when another write came first, a fresh form of what is stored (409)."""
    if request.method != "POST" or not form.is_valid():
        return None, form, 422 if request.method == "POST" else 200
    try:
        return save(form), form, 200
    except ValidationError as error:
        (show_errors or (lambda e: apply_service_errors(form, e)))(error)
    except StaleVersion:
        messages.error(request, stale_message())
        return None, reload(), 409
    return None, form, 422


# ---- agreements ----------------------------------------------------------------------------

@page_view
def agreements(request):
    filters = {"status": _choice(request, "status", AgreementStatus.values),
               "kind": _choice(request, "kind", AgreementKind.values),
               "scope": _choice(request, "scope", AgreementScope.values),
               "party": _choice(request, "party", {c for c, _n in country_choices()}),
               "text": request.GET.get("title", "")[:100]}
    found = queries.agreements(request.user, **filters)
    return render(request, "monitor/agreements.html", {
        "page": paginate(request, found), "query": query_without_page(request),
        "filters": filters, "statuses": AgreementStatus.choices, "kinds": AgreementKind.choices,
        "scopes": AgreementScope.choices, "countries": country_choices(),
        "manage": may(request.user, MANAGE_REGISTERS), "today": timezone.localdate()})


@page_view
def agreement_page(request, agreement_id: int):
    item = queries.agreement(request.user, agreement_id)
    return render(request, "monitor/agreement.html", {
        "item": item, "in_force": item.is_in_force(),
        "editable": may(request.user, MANAGE_REGISTERS) and can(request.user, CHANGE, item)})


def _agreement_form(request, item=None):
    require_capability(request.user, MANAGE_REGISTERS)
    if item is not None:
        require(request.user, CHANGE, item)
    initial = AgreementForm.initial_of(item) if item else {"country_0": request.user.jurisdiction_id}
    form = AgreementForm(request.POST or None, initial=initial)

    def save(form):
        data = form.service_input()
        if item is None:
            return services.record_agreement(request.user, data)
        return services.update_agreement(request.user, item, data,
                                         version=form.cleaned_data["version"] or None)

    def reload():
        item.refresh_from_db()
        return AgreementForm(initial=AgreementForm.initial_of(item))

    saved, form, status = _save(request, form, save, reload, form.show_service_errors)
    if saved is not None:
        messages.success(request, _("The agreement is saved."))
        return redirect("monitor-agreement", agreement_id=saved.pk)
    rows = [[form[f"country_{i}"], form[f"agency_{i}"]] for i in range(PARTY_ROWS)]
    documents = [[form[f"{n}_{i}"] for n in ("doc_title", "doc_reference", "doc_url")]
                 for i in range(DOCUMENT_ROWS)]
    main = [form[n] for n in ("title", "kind", "scope", "scope_other", "status", "signed_on",
                              "in_force_on", "expires_on", "notes", "version")]
    return render(request, "monitor/agreement_form.html", {
        "form": form, "item": item, "main": main, "party_rows": rows,
        "document_rows": documents}, status=status)


@page_view
def agreement_new(request):
    return _agreement_form(request)


@page_view
def agreement_edit(request, agreement_id: int):
    return _agreement_form(request, queries.agreement(request.user, agreement_id))


# ---- funding lines -------------------------------------------------------------------------

@page_view
def funding(request):
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    source = _choice(request, "source", FundingSource.values)
    kind = _choice(request, "recipient_kind", RecipientKind.values)
    found = queries.funding_lines(request.user, year=year, source=source, recipient_kind=kind)
    return render(request, "monitor/funding.html", {
        "page": paginate(request, found), "query": query_without_page(request), "year": year,
        "source": source, "recipient_kind": kind, "sources": FundingSource.choices,
        "kinds": RecipientKind.choices, "manage": may(request.user, MANAGE_REGISTERS),
        "summary": queries.funding_year(request.user.jurisdiction_id, year, request.user)})


@page_view
def funding_page(request, line_id: int):
    item = queries.funding_line(request.user, line_id)
    return render(request, "monitor/funding_line.html", {
        "item": item,
        "editable": may(request.user, MANAGE_REGISTERS) and can(request.user, CHANGE, item)})


def _funding_form(request, item=None):
    require_capability(request.user, MANAGE_REGISTERS)
    if item is not None:
        require(request.user, CHANGE, item)
    shelters = list(queries.funding_shelters(request.user))
    initial = FundingForm.initial_of(item) if item else {"year": timezone.localdate().year}
    form = FundingForm(request.POST or None, initial=initial, shelters=shelters)

    def save(form):
        data = form.service_input()
        if item is None:
            return services.record_funding(request.user, data)
        return services.update_funding(request.user, item, data,
                                       version=form.cleaned_data["version"] or None)

    def reload():
        item.refresh_from_db()
        return FundingForm(initial=FundingForm.initial_of(item), shelters=shelters)

    saved, form, status = _save(request, form, save, reload)
    if saved is not None:
        messages.success(request, _("The funding line is saved."))
        return redirect("monitor-funding-line", line_id=saved.pk)
    title = _("Correct the funding line") if item else _("Record a funding line")
    return render(request, "web/form_page.html", {
        "form": form, "title": title, "back": "monitor-funding"}, status=status)


@page_view
def funding_new(request):
    return _funding_form(request)


@page_view
def funding_edit(request, line_id: int):
    return _funding_form(request, queries.funding_line(request.user, line_id))

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from crossroads.access.policy import (
    CHANGE,
    can,
    get_visible_or_404,
    may,
    require_capability,
)
from crossroads.pages import apply_service_errors, page_view, paginate, without_page
from crossroads.registry import break_glass, queries, services
from crossroads.registry.choices import STATUS_TRANSITIONS, CaseStatus
from crossroads.registry.forms import CaseFilterForm, RegistrationForm, StatusForm
from crossroads.registry.models import Case, Person
from crossroads.versions import StaleVersion, stale_message


@sensitive_post_parameters("q")
@page_view
def case_list(request):
    """Filters by GET (links keep them); the free-text search only by POST, the page number
    with it, since it may be a victim's name: names stay out of URLs and access logs."""
    require_capability(request.user, "view_cases")
    posted = request.method == "POST"
    linked = request.GET.copy()
    linked.pop("q", None)  # a name in a URL is neither searched nor echoed
    form = CaseFilterForm(request.POST if posted else (linked or None))
    filters = form.cleaned_data if form.is_valid() else {}
    number = request.POST.get("page") if posted else None
    shown = queries.cases_page(request.user, lambda qs: paginate(request, qs, number=number),
                               context="case list", **{k: v for k, v in filters.items() if v})
    return render(request, "registry/case_list.html", {
        "form": form, "page": shown, "posted": posted,
        "query": without_page(linked)})


def _case_context(request, shown: queries.CasePage, status_form=None):
    user, case = request.user, shown.case
    allowed = STATUS_TRANSITIONS[CaseStatus(case.status)]
    form = status_form or StatusForm(initial={"version": case.version})
    form.fields["status"].choices = [(s.value, s.label) for s in CaseStatus if s in allowed]
    if case.status != CaseStatus.TRIAL:
        del form.fields["outcome"]
    for involvement in case.involvements.all():
        involvement.duplicates = shown.duplicates.get(involvement.person_id, [])
        involvement.merged_shown = involvement.person.merged_into_id in shown.survivors
    grant = case.grant
    return {"case": case, "shows_identity": case.named,
            "may_review": may(user, "review_duplicates"), "may_assist": may(user, "assist_victims"),
            "may_change": can(user, CHANGE, case), "status_form": form,
            "may_change_status": services.may_change_status(user, case),
            "break_glass": grant, "break_glass_until": grant and _until(grant.expires_at),
            "owner_grants": break_glass.grants_for_owner(user, case),
            "notices": shown.notices, "sections": shown.sections}


def _until(moment) -> str:
    """HH:MM in the node's time, with the date when it is not today."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return f'{formats.date_format(local, "SHORT_DATE_FORMAT")} {formats.time_format(local, "H:i")}'


@page_view
def case_page(request, case_id):
    shown = queries.case_page(request.user, case_id, context="case page")
    return render(request, "registry/case_page.html", _case_context(request, shown))


@sensitive_post_parameters()
@page_view
@require_POST
def case_status(request, case_id):
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    services.require_status_right(request.user, case)
    form = StatusForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["status"] == CaseStatus.CLOSED and not request.POST.get("confirmed"):
            return render(request, "web/confirm.html", {
                "title": _("Close case %(ref)s?") % {"ref": case.reference},
                "explanation": _("A closed case leaves everyone's list of open cases; only its "
                                 "owner can reopen it."),
                "confirm_label": _("Close the case"),
                "back_url": reverse("case-page", args=[case.pk]),
                "carry": {**form.cleaned_data, "confirmed": "1"}})
        try:
            services.change_status(request.user, case, form.cleaned_data["status"],
                                   form.cleaned_data["reason"], form.cleaned_data["outcome"],
                                   version=form.cleaned_data["version"])
            messages.success(request, _("Status changed."))
            return redirect("case-page", case_id=case.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
        except StaleVersion:  # another change came first: the page shows the case as it is now
            messages.error(request, stale_message())
            shown = queries.case_page(request.user, case_id, context="case page")
            return render(request, "registry/case_page.html", _case_context(request, shown),
                          status=409)
    shown = queries.case_page(request.user, case_id, context="case page")
    return render(request, "registry/case_page.html", _case_context(request, shown, form),
                  status=422)


@sensitive_post_parameters()
@page_view
def register_victim(request):
    require_capability(request.user, "register_victim")
    form = RegistrationForm(request.POST or None)
    duplicates = []
    if request.method == "POST":
        # Every mistake in one answer: the form's own (types, required fields) and the
        # services' domain checks of every field that parsed.
        valid = form.is_valid()
        inputs = (request.user, form.person_input(), form.case_input(), form.exploitation_input())
        role = form.cleaned_data.get("role", "victim")
        try:
            if not valid:
                services.check_registration(*inputs, role=role)
            else:
                duplicates, case = _register(request, form, inputs, role)
                if case is not None:
                    messages.success(request, _("Victim registered in case %(ref)s.") % {
                        "ref": case.reference})
                    return redirect("case-page", case_id=case.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
    status = 422 if request.method == "POST" and not duplicates else 200
    return render(request, "registry/register.html", {"form": form, "duplicates": duplicates},
                  status=status)


def _register(request, form, inputs, role):
    """(persons to offer, None) while a 100 % duplicate the user may see is undecided; else
    ([], the registered case), for the existing person if the user chose one."""
    user, person_input, case_input, exploitation_input = inputs
    choice = request.POST.get("existing_person", "")
    if choice.isdigit():
        person = get_visible_or_404(Person.objects.all(), user, pk=int(choice))
        case, _record = services.register_known_victim(user, person, case_input,
                                                       exploitation_input, role=role)
        return [], case
    if choice != "new":
        duplicates = queries.exact_duplicates(user, person_input.given_names,
                                              person_input.family_name, person_input.birth_date,
                                              context="registration duplicate check")
        if duplicates:
            return duplicates, None
    _person, case, _record = services.register_victim(*inputs, role=role)
    return [], case

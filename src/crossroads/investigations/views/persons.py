"""Persons put into a case from its page: a new person (a registration's identity fields,
checks and duplicate offer) or one already recorded, in any role."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from crossroads.access.policy import may
from crossroads.investigations import queries, services
from crossroads.investigations.forms import CasePersonForm, ExistingPersonForm
from crossroads.pages import apply_service_errors, page_view
from crossroads.registry.rules import ADD_SUSPECT

from . import submit


def _page(request, case, form=None, existing=None, duplicates=(), status=200):
    suspects = may(request.user, ADD_SUSPECT)
    return render(request, "investigations/person_add.html", {
        "case": case, "duplicates": duplicates,
        "form": form or CasePersonForm(may_add_suspect=suspects),
        "existing": existing or ExistingPersonForm(may_add_suspect=suspects)}, status=status)


def _added(request, case, involvement):
    messages.success(request, _("%(role)s added to the case.") % {
        "role": involvement.get_role_display()})
    return redirect("case-page", case_id=case.pk)


@sensitive_post_parameters()
@page_view
def person_add(request, case_id):
    user = request.user
    case = queries.case_to_change(user, case_id)
    if request.method != "POST":
        return _page(request, case)
    form = CasePersonForm(request.POST, may_add_suspect=may(user, ADD_SUSPECT))
    valid = form.is_valid()
    role = form.cleaned_data.get("role", "")
    data = form.person_input()
    try:
        if not valid:  # every mistake at once: the services check the fields that parsed
            services.check_new_person(user, case, data, role)
        else:
            choice = request.POST.get("existing_person", "")
            if choice.isdigit():
                return _added(request, case, services.add_existing_person(
                    user, case, int(choice), role))
            if choice != "new":
                duplicates = queries.duplicates_offered(
                    user, data.given_names, data.family_name, data.birth_date,
                    context="case person duplicate check")
                if duplicates:
                    return _page(request, case, form, duplicates=duplicates)
            return _added(request, case, services.add_person(user, case, data, role))
    except ValidationError as error:
        apply_service_errors(form, error)
    return _page(request, case, form, status=422)


@page_view
@require_POST
def person_existing(request, case_id):
    user = request.user
    case = queries.case_to_change(user, case_id)
    form = ExistingPersonForm(request.POST, may_add_suspect=may(user, ADD_SUSPECT))
    return submit(request, form,
                  lambda d: services.add_existing_person(user, case, d["person_id"], d["role"]),
                  _("Person added to the case."), "case-page",
                  lambda bound: _page(request, case, existing=bound), case.pk)

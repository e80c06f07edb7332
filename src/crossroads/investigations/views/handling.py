"""The handling code and the owner of a case: raise (at once) or ask to lower (a second person
of the owner agency decides), and the lead's transfer to another agency."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.access.policy import CHANGE, can
from crossroads.investigations import queries, services
from crossroads.investigations.choices import HandlingChangeStatus
from crossroads.investigations.forms import DecisionForm, HandlingCodeForm, OwnershipForm
from crossroads.pages import page_view

from . import submit


def _page(request, case, **bound):
    user = request.user
    leads = queries.leads(user, case)
    to_decide = {c.pk for c in queries.lowerings_to_decide(user) if c.case_id == case.pk}
    context = {
        "case": case, "may_change": can(user, CHANGE, case), "leads": leads,
        "changes": queries.handling_changes(user, case.pk), "to_decide": to_decide,
        "transfers": queries.ownership_transfers(user, case.pk),
        "form": HandlingCodeForm(initial={"handling_code": case.handling_code,
                                          "version": case.version}),
        "decision_form": DecisionForm(),
        "owner_form": OwnershipForm(agencies=queries.transfer_agencies(user, case),
                                    initial={"version": case.version})
        if leads else None, **bound}
    return render(request, "investigations/handling.html", context)


@page_view
def handling_page(request, case_id):
    return _page(request, queries.visible_case(request.user, case_id))


@page_view
@require_POST
def handling_request(request, case_id):
    user = request.user
    case = queries.visible_case(user, case_id)
    services.require_change(user, case)  # refused whatever the form carries

    def act(data):
        change = services.request_handling_code(user, case, data["handling_code"], data["reason"],
                                                version=data["version"])
        if change.status == HandlingChangeStatus.PENDING:
            messages.info(request, _("The lowering waits for a second person of the owner "
                                     "agency."))

    return submit(request, HandlingCodeForm(request.POST), act, _("Handling code request "
                  "recorded."), "investigations-handling",
                  lambda form: _page(request, case, form=form), case.pk,
                  stale=lambda: _page(request, queries.visible_case(user, case_id)))


@page_view
@require_POST
def handling_decide(request, change_id, decision):
    user = request.user
    acts = {"approve": services.approve_handling_change, "reject": services.reject_handling_change}
    if decision not in acts:
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()  # one optional field
    try:
        change = acts[decision](user, change_id, form.cleaned_data.get("reason", ""))
        messages.success(request, _("Decision recorded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        change = queries.handling_change(user, change_id)
    return redirect("investigations-handling", change.case_id)


@page_view
@require_POST
def owner_transfer(request, case_id):
    user = request.user
    case = queries.visible_case(user, case_id)
    services.require_lead(user, case)
    form = OwnershipForm(request.POST, agencies=queries.transfer_agencies(user, case))
    return submit(request, form,
                  lambda d: services.transfer_ownership(user, case, d["agency_id"], d["lead"],
                                                        d["reason"], version=d["version"]),
                  _("Case handed over."), "case-page",
                  lambda bound: _page(request, case, owner_form=bound), case.pk,
                  stale=lambda: _page(request, queries.visible_case(user, case_id)))

"""The referral mechanism's overview pages: referrals sent and received (with their actions),
the shelters' capacity for coordinators, and the jurisdiction's protection timers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.access.policy import get_visible_or_404, may, require_capability
from crossroads.assistance import queries
from crossroads.assistance.forms import (
    CapacityForm,
    ProtectionConfigForm,
    ReasonForm,
    ReferralFilterForm,
)
from crossroads.assistance.models import Referral
from crossroads.assistance.services import referrals, shelters, timers
from crossroads.pages import apply_service_errors, page_view, paginate, query_without_page

ACTIONS = {"accept": referrals.accept, "reject": referrals.reject,
           "done": referrals.complete, "revoke": referrals.revoke}


@page_view
def referral_list(request):
    """The referrals the user may see, filtered by direction and status and paged; each row
    leads to its page, where the actions are."""
    require_capability(request.user, "view_referrals")
    user = request.user
    form = ReferralFilterForm(request.GET or None, may_act=may(user, "assist_victims"))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.referrals_for(user, filters.get("direction", ""), filters.get("status", ""))
    return render(request, "assistance/referrals.html", {
        "form": form, "page": paginate(request, rows), "query": query_without_page(request)},
        status=200 if form.is_bound is False or form.is_valid() else 400)


@page_view
def referral_page(request, referral_id):
    require_capability(request.user, "view_referrals")
    referral = queries.referral_or_404(request.user, referral_id)
    detail = queries.referral_detail(request.user, referral, context="referral page")
    side = ("received" if referral.to_agency_id == request.user.agency_id else
            "sent" if referral.from_agency_id == request.user.agency_id else "")
    return render(request, "assistance/referral.html", {
        **detail, "actions": side if may(request.user, "assist_victims") else ""})


@page_view
@require_POST
def referral_act(request, referral_id, action):
    if action not in ACTIONS:
        raise Http404
    referral = get_visible_or_404(Referral.objects.select_related("case"), request.user,
                          pk=referral_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if action == "accept":
            referrals.accept(request.user, referral)
        else:
            ACTIONS[action](request.user, referral, reason)
        messages.success(request, _("Referral updated."))
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
    return redirect("referral-page", referral_id=referral.pk)


@page_view
def shelter_capacity(request):
    require_capability(request.user, "view_shelter_capacity")
    form = CapacityForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    rows = shelters.capacity(request.user, on)
    return render(request, "assistance/shelters.html", {
        "form": form, "shelters": rows, "full": sum(s.full for s in rows),
        "free": sum(s.free for s in rows)})


@page_view
def timers_overview(request):
    timers_due = queries.timers_overview(request.user)
    return render(request, "assistance/timers.html", {
        "page": paginate(request, timers_due), "query": query_without_page(request),
        "may_configure": may(request.user, "configure_protection")})


@page_view
def protection_settings(request):
    require_capability(request.user, "configure_protection")
    config = timers.config_for(request.user.jurisdiction_id)
    form = ProtectionConfigForm(request.POST or None, initial={
        "reflection_days": config.reflection_days,
        "residence_permit_days": config.residence_permit_days,
        "guardian_days": config.guardian_days})
    if request.method == "POST" and form.is_valid():
        try:
            timers.configure(request.user, **form.cleaned_data)
            messages.success(request, _("Protection timers saved."))
            return redirect("protection-settings")
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(request, "web/form_page.html", {
        "form": form, "title": _("Protection timers"), "back": "home",
        "intro": _("Days per timer in this jurisdiction. The defaults are configurable "
                   "defaults, not law: CETS 197 Art. 13 sets a reflection period of at least "
                   "30 days; Art. 14 and Art. 10(4) set no number of days.")},
        status=422 if request.method == "POST" else 200)

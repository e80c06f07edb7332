"""The campaign register's pages: the list, a new campaign, a change, and one campaign's
report with its charts (national coordinators only; the policy decides in queries/services)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.access.policy import require_capability
from crossroads.pages import apply_service_errors, page_view, paginate
from crossroads.registry.forms import service_input
from crossroads.versions import StaleVersion, stale_message

from . import queries, services
from .forms import CampaignForm
from .rules import KEEP_CAMPAIGNS


@page_view
def campaign_list(request):
    return render(request, "campaigns/list.html", {
        "page": paginate(request, queries.register(request.user))})


def _save(request, form, campaign=None):
    data = service_input(services.CampaignInput, form.cleaned_data)
    try:
        if campaign is None:
            return services.register_campaign(request.user, data)
        return services.change_campaign(request.user, campaign, data,
                                        version=form.cleaned_data["version"])
    except StaleVersion:
        form.add_error(None, stale_message())
    except ValidationError as error:
        apply_service_errors(form, error)
    return None


@page_view
def campaign_new(request):
    require_capability(request.user, KEEP_CAMPAIGNS)
    form = CampaignForm(request.POST or None, jurisdiction=request.user.jurisdiction_id)
    if request.method == "POST" and form.is_valid():
        campaign = _save(request, form)
        if campaign is not None:
            messages.success(request, _("Campaign registered."))
            return redirect("campaign", campaign_id=campaign.pk)
    return render(request, "campaigns/form.html", {
        "form": form, "title": _("Register a campaign")}, status=422 if form.errors else 200)


@page_view
def campaign_edit(request, campaign_id: int):
    campaign = queries.visible_campaign(request.user, campaign_id)
    initial = {name: getattr(campaign, name) for name in CampaignForm.base_fields}
    form = CampaignForm(request.POST or None, initial=initial,
                        jurisdiction=campaign.jurisdiction_id)
    if request.method == "POST" and form.is_valid() and _save(request, form, campaign):
        messages.success(request, _("Campaign changed."))
        return redirect("campaign", campaign_id=campaign.pk)
    return render(request, "campaigns/form.html", {
        "form": form, "title": _("Change the campaign"), "campaign": campaign},
        status=422 if form.errors else 200)


@page_view
def campaign_page(request, campaign_id: int):
    report = queries.campaign_report(request.user, campaign_id, context="page")
    charts = [{"measure": m, "chart_id": f"chart-{m.name}", "data": m.chart}
              for m in report.measures]
    return render(request, "campaigns/campaign.html", {
        "report": report, "campaign": report.campaign, "charts": charts})

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.access import services
from crossroads.access.models import Agency, User
from crossroads.access.policy import CHANGE, get_or_404, require_capability

from ..forms import AccountForm, AgencyForm
from .common import page_view, paginate


@page_view
def account_list(request):
    return render(request, "web/account_list.html",
                  {"page": paginate(request, services.accounts(request.user), 50)})


@page_view
def account_edit(request, user_id=None):
    require_capability(request.user, "manage_accounts")
    account = (get_or_404(User.objects.all(), request.user, CHANGE, pk=user_id)
               if user_id else User())
    form = AccountForm(request.POST or None, instance=account,
                       agencies=services.manageable_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_account(request.user, form)
        messages.success(request, _("Account saved."))
        return redirect("account-list")
    return render(request, "web/form_page.html", {
        "form": form, "title": _("Account") if user_id else _("New account"),
        "back": "account-list"}, status=422 if form.errors else 200)


@page_view
def agency_list(request):
    require_capability(request.user, "manage_accounts")
    agencies = services.manageable_agencies(request.user).order_by("name")
    return render(request, "web/agency_list.html", {"page": paginate(request, agencies, 50)})


@page_view
def agency_edit(request, agency_id=None):
    require_capability(request.user, "manage_accounts")
    agency = (get_or_404(Agency.objects.all(), request.user, CHANGE, pk=agency_id)
              if agency_id else Agency(jurisdiction_id=request.user.jurisdiction_id))
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        services.save_agency(request.user, form)
        messages.success(request, _("Agency saved."))
        return redirect("agency-list")
    return render(request, "web/form_page.html", {
        "form": form, "title": _("Agency") if agency_id else _("New agency"),
        "back": "agency-list"}, status=422 if form.errors else 200)

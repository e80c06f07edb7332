from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from crossroads.access import queries, services
from crossroads.access.forms import AccountForm, AgencyForm
from crossroads.access.models import Agency, User
from crossroads.access.policy import require_capability
from crossroads.pages import apply_service_errors, page_view, paginate
from crossroads.versions import StaleVersion, stale_message


def _report(request, change) -> None:
    """What saving did: sent for approval, applied at once, or nothing."""
    if change.request is not None:
        messages.success(request, _("Sent for approval by a second administrator."))
        if change.applied:
            messages.success(request, _("Name and deactivation changes are saved already."))
    elif change.applied:
        messages.success(request, _("Saved."))
    else:
        messages.info(request, _("Nothing was changed."))


@page_view
def account_list(request):
    accounts = queries.accounts(request.user)
    pending = queries.pending_approvals(request.user)
    return render(request, "access/account_list.html", {
        "page": paginate(request, accounts, 50), "pending": pending.count(),
        "pending_accounts": set(pending.values_list("target_id", flat=True))})


@sensitive_post_parameters()
@page_view
def account_edit(request, user_id=None):
    require_capability(request.user, "manage_accounts")
    agencies = queries.manageable_agencies(request.user)
    account = queries.get_account(request.user, user_id) if user_id else User()
    form = AccountForm(request.POST or None, instance=account, agencies=agencies)
    return _edit_page(
        request, form, lambda data, version: services.save_account(request.user, data, user_id,
                                                                   version),
        reload=lambda: AccountForm(instance=queries.get_account(request.user, user_id),
                                   agencies=agencies),
        back="account-list", title=_("Account") if user_id else _("New account"),
        intro=_("Creating an account, and changing a role, agency, user name or e-mail, "
                   "resetting the password, or reactivating an account, applies only once a "
                   "second administrator approves it. Deactivation applies at once. Nobody "
                   "chooses a password for someone else: the approving administrator receives a "
                   "single-use link for the user to set their own."))


@page_view
def agency_list(request):
    require_capability(request.user, "manage_accounts")
    agencies = queries.manageable_agencies(request.user).order_by("name")
    return render(request, "access/agency_list.html", {"page": paginate(request, agencies, 50)})


@page_view
def agency_edit(request, agency_id=None):
    require_capability(request.user, "manage_accounts")
    agency = (queries.get_agency(request.user, agency_id) if agency_id
              else Agency(jurisdiction_id=request.user.jurisdiction_id))
    form = AgencyForm(request.POST or None, instance=agency)
    return _edit_page(
        request, form, lambda data, version: services.save_agency(request.user, data, agency_id,
                                                                  version),
        reload=lambda: AgencyForm(instance=queries.get_agency(request.user, agency_id)),
        back="agency-list", title=_("Agency") if agency_id else _("New agency"),
        intro=_("Changing an agency's kind, or reactivating it, applies only once a second "
                   "administrator approves it. Deactivating an agency applies at once: its users "
                   "can no longer log in, their sessions end and their API tokens are revoked."))


def _edit_page(request, form, save, *, reload, back, title, intro):
    """The account and agency forms: the service decides (what applies now, what waits for a
    second administrator); its refusals show next to the fields. A form filled from an older
    version than the stored one saves nothing: the page answers 409 with the newer values
    (`reload()`, the form as stored now)."""
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            change = save(data, data.pop("version", None))
        except ValidationError as error:
            apply_service_errors(form, error)
        except StaleVersion:
            messages.error(request, stale_message())
            form, status = reload(), 409
        else:
            _report(request, change)
            return redirect(back)
    return render(request, "web/form_page.html", {
        "form": form, "title": title, "back": back, "intro": intro},
        status=422 if form.errors else status)

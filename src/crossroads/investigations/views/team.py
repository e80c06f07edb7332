"""The case team page: members with their team roles, the lead's changes, the team history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.investigations import queries, services
from crossroads.investigations.forms import TeamMemberForm, TeamRemoveForm
from crossroads.pages import page_view
from crossroads.versions import StaleVersion, stale_message

from . import submit


def _page(request, case, form=None):
    user = request.user
    return render(request, "investigations/team.html", {
        "case": case, "team": queries.team(user, case.pk),
        "history": queries.team_history(user, case.pk), "leads": queries.leads(user, case),
        "form": form or TeamMemberForm(initial={"version": case.version})})


@page_view
def team_page(request, case_id):
    return _page(request, queries.visible_case(request.user, case_id))


@page_view
@require_POST
def team_add(request, case_id):
    case = queries.visible_case(request.user, case_id)
    services.require_lead(request.user, case)  # refused whatever the form carries
    return submit(request, TeamMemberForm(request.POST),
                  lambda d: services.add_member(request.user, case, d["username"], d["team_role"],
                                                version=d["version"]),
                  _("Team changed."), "investigations-team",
                  lambda form: _page(request, case, form), case.pk,
                  stale=lambda: _page(request, queries.visible_case(request.user, case_id)))


@page_view
@require_POST
def team_remove(request, case_id, username):
    case = queries.visible_case(request.user, case_id)
    services.require_lead(request.user, case)
    form = TeamRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["version"]))
        return redirect("investigations-team", case.pk)
    try:
        services.remove_member(request.user, case, username, version=form.cleaned_data["version"])
        messages.success(request, _("Removed from the team."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StaleVersion:  # the team changed since the page was shown: it shows it as it is now
        messages.error(request, stale_message())
        response = _page(request, queries.visible_case(request.user, case_id))
        response.status_code = 409
        return response
    return redirect("investigations-team", case.pk)

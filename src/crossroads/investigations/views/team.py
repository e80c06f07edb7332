"""The case team page: members with their team roles, the lead's changes, the team history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.investigations import queries, services
from crossroads.investigations.forms import TeamMemberForm
from crossroads.pages import page_view

from . import submit


def _page(request, case, form=None):
    user = request.user
    return render(request, "investigations/team.html", {
        "case": case, "team": queries.team(user, case.pk),
        "history": queries.team_history(user, case.pk), "leads": queries.leads(user, case),
        "form": form or TeamMemberForm()})


@page_view
def team_page(request, case_id):
    return _page(request, queries.visible_case(request.user, case_id))


@page_view
@require_POST
def team_add(request, case_id):
    case = queries.visible_case(request.user, case_id)
    return submit(request, TeamMemberForm(request.POST),
                  lambda d: services.add_member(request.user, case, d["username"], d["team_role"]),
                  _("Team changed."), "investigations-team",
                  lambda form: _page(request, case, form), case.pk)


@page_view
@require_POST
def team_remove(request, case_id, username):
    case = queries.visible_case(request.user, case_id)
    try:
        services.remove_member(request.user, case, username)
        messages.success(request, _("Removed from the team."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("investigations-team", case.pk)

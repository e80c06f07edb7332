"""The markers of a case: internal or cross-border trafficking per victim record, and per
suspect whether a public official and which organised-crime group."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.investigations import queries, services
from crossroads.investigations.forms import CrimeGroupForm, SuspectMarkerForm
from crossroads.pages import page_view

from . import submit

CONTEXT = "case markers page"


def _marker_form(case, suspect, groups):
    marker = suspect.marker
    initial = {"version": case.version, **({"public_official": marker.public_official,
                                            "group_id": marker.group_id} if marker else {})}
    return SuspectMarkerForm(groups=groups, prefix=f"s{suspect.person_id}", initial=initial)


def _page(request, case, bound_person=None, bound=None, group_form=None):
    user = request.user
    groups = list(queries.crime_groups(user))
    suspects = queries.suspects_marked(user, case, context=CONTEXT)
    for suspect in suspects:
        suspect.form = (bound if suspect.person_id == bound_person else
                        _marker_form(case, suspect, groups))
    placed = any(suspect.person_id == bound_person for suspect in suspects)
    return render(request, "investigations/markers.html", {
        "case": case, "suspects": suspects, "writes": queries.writes_log(user, case),
        "unplaced": bound if bound is not None and not placed else None,
        "scopes": queries.victim_scopes(user, case, context=CONTEXT),
        "group_form": group_form or CrimeGroupForm()})


@page_view
def markers_page(request, case_id):
    return _page(request, queries.log_case(request.user, case_id))


@page_view
@require_POST
def marker_set(request, case_id, person_id):
    user = request.user
    case = queries.log_case(user, case_id)
    form = SuspectMarkerForm(request.POST, groups=queries.crime_groups(user),
                             prefix=f"s{person_id}")
    return submit(request, form,
                  lambda d: services.mark_suspect(user, case, person_id,
                                                  public_official=d["public_official"],
                                                  group_id=d["group_id"], version=d["version"]),
                  _("Markers saved."), "investigations-markers",
                  lambda bound: _page(request, case, person_id, bound), case.pk,
                  stale=lambda: _page(request, queries.log_case(user, case_id)))


@page_view
@require_POST
def group_add(request, case_id):
    user = request.user
    case = queries.log_case(user, case_id)
    return submit(request, CrimeGroupForm(request.POST),
                  lambda d: services.name_group(user, d["name"]), _("Group named."),
                  "investigations-markers", lambda bound: _page(request, case, group_form=bound),
                  case.pk)

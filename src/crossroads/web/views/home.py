from django.conf import settings
from django.db.models import Q
from django.shortcuts import render

from crossroads.access.policy import VIEW, may
from crossroads.assistance import home as assistance_home
from crossroads.audit import home as audit_home
from crossroads.investigations import home as investigations_home
from crossroads.oversight import home as oversight_home
from crossroads.pages import page_view
from crossroads.registry import break_glass
from crossroads.registry.models import Case
from crossroads.statistics import home as statistics_home
from crossroads.tips import home as tips_home


@page_view
def home(request):
    user = request.user
    my_cases = []
    case_work = may(user, "view_cases")  # register_victim's roles all view cases
    if case_work:
        my_cases = (Case.objects.restrict(user, VIEW)
                    .filter(Q(team=user) | Q(owner_agency_id=user.agency_id))
                    .exclude(status="closed").select_related("owner_agency").distinct()[:20])
    return render(request, "web/home.html", {
        "my_cases": my_cases, "case_work": case_work,
        "may_register": may(user, "register_victim"),
        # A focal point of a node that no hub knows waits for hits that cannot come.
        "no_hub": may(user, "exchange") and not settings.CROSSROADS_HUB_URL,
        # Shown to the owner agency: who opened its cases by break-glass lately, and why.
        "break_glass_openings": break_glass.recent_openings_for_owner(user)[:50],
        "jurisdiction_openings": break_glass.recent_openings_for_oversight(user)[:50],
        "my_grants": break_glass.active_grants(user) if may(user, "break_glass") else [],
        **assistance_home.context(user), **statistics_home.context(user),
        **audit_home.context(user), **investigations_home.context(user),
        **oversight_home.context(user), **tips_home.context(user)})

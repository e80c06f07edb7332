"""The offence catalogue's pages: the coordinator lists the jurisdiction's entries (those not
yet checked against the code, if asked) and corrects or confirms one."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from crossroads.investigations import queries, services
from crossroads.investigations.forms import OffenceForm
from crossroads.pages import page_view, paginate

from . import submit


@page_view
def offences_page(request):
    unchecked = request.GET.get("unchecked") == "1"
    found = queries.offences_to_maintain(request.user, unchecked=unchecked)
    return render(request, "investigations/offences.html", {
        "page": paginate(request, found, 50), "unchecked": unchecked,
        "query": "unchecked=1" if unchecked else "",
        "total": queries.offences(request.user).count(),
        "to_check": queries.offences_to_maintain(request.user, unchecked=True).count()})


def _entry_page(request, offence, form=None):
    form = form or OffenceForm(initial={
        "article": offence.article, "title": offence.title, "source": offence.source,
        "checked": offence.checked, "version": offence.version})
    return render(request, "investigations/offence.html", {"offence": offence, "form": form})


@page_view
def offence_page(request, offence_id):
    user = request.user
    offence = queries.offence_to_maintain(user, offence_id)
    if request.method != "POST":
        return _entry_page(request, offence)
    form = OffenceForm(request.POST)
    return submit(request, form,
                  lambda d: services.update_offence(user, offence, form.offence_input(),
                                                    version=d["version"]),
                  _("Entry saved."), "investigations-offences",
                  lambda bound: _entry_page(request, offence, bound),
                  stale=lambda: _entry_page(request, queries.offence_to_maintain(user, offence_id)))

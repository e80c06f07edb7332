"""The register of an agency's own shelters, kept by its case workers: list with today's
occupancy, a form to add one, a page to change one (places, children, open or closed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, get_visible_or_404, require_capability, restrict
from crossroads.assistance.forms import ShelterChangeForm, ShelterForm
from crossroads.assistance.models import Shelter
from crossroads.assistance.services import shelters
from crossroads.pages import apply_service_errors, page_view
from crossroads.versions import StaleVersion, stale_message


@page_view
def our_shelters(request):
    require_capability(request.user, "manage_shelters")
    form = ShelterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shelter = shelters.register(request.user, **form.cleaned_data)
            messages.success(request, _("%(name)s is registered.") % {"name": shelter.name})
            return redirect("our-shelters")
        except ValidationError as error:
            apply_service_errors(form, error)
    rows = shelters.with_occupancy(restrict(Shelter.objects.all(), request.user, CHANGE))
    return render(request, "assistance/our_shelters.html", {"form": form, "shelters": rows},
                  status=422 if request.method == "POST" else 200)


@page_view
def shelter_change(request, shelter_id):
    require_capability(request.user, "manage_shelters")
    shelter = get_visible_or_404(Shelter.objects.all(), request.user, pk=shelter_id)
    form = ShelterChangeForm(request.POST or None, initial=_as_stored(shelter))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            shelters.update(request.user, shelter, **form.cleaned_data)
            messages.success(request, _("Shelter saved."))
            return redirect("our-shelters")
        except ValidationError as error:
            apply_service_errors(form, error)
        except StaleVersion:  # changed by someone else meanwhile: show what is stored now
            messages.error(request, stale_message())
            shelter.refresh_from_db()
            form, status = ShelterChangeForm(initial=_as_stored(shelter)), 409
    return render(request, "web/form_page.html", {
        "form": form, "title": _("Change %(name)s") % {"name": shelter.name},
        "back": "our-shelters"}, status=status)


def _as_stored(shelter: Shelter) -> dict:
    return {"name": shelter.name, "capacity": shelter.capacity, "version": shelter.version,
            "accepts_children": shelter.accepts_children, "active": shelter.active}

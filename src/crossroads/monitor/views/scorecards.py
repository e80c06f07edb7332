"""The scorecard page of a review cycle: per pillar and instrument, against the previous cycle,
beside the published TIP tiers and figures; a coordinator asks to publish a closed cycle's
scorecard to the hub and a second coordinator approves or rejects it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from crossroads.access.policy import may, require_capability
from crossroads.pages import apply_service_errors, page_view

from .. import services
from ..choices import Instrument, Pillar, Status
from ..forms import PublicationDecisionForm
from ..rules import MANAGE_REVIEWS

DONE = {"publish": _("The scorecard waits for a second coordinator's approval."),
        "approve": _("The scorecard is approved and queued for the hub."),
        "reject": _("The publication is rejected.")}


def _act(request, card, step: str, form) -> None:
    require_capability(request.user, MANAGE_REVIEWS)
    if step == "publish":
        services.request_publication(request.user, card.cycle)
        return
    pending = next((p for p in card.publications if str(p.pk) == request.POST.get("publication")),
                   None)
    if pending is None or not form.is_valid():
        raise Http404
    if step == "approve":
        services.approve_publication(request.user, pending.pk, form.cleaned_data["reason"])
    else:
        services.reject_publication(request.user, pending.pk, form.cleaned_data["reason"])


@page_view
def scorecard_page(request, cycle_id: int):
    card = services.scorecard(request.user, cycle_id=cycle_id)
    form = PublicationDecisionForm(request.POST or None)
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in DONE:
            raise Http404
        try:
            _act(request, card, step, form)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, DONE[step])
            return redirect("monitor-scorecard", cycle_id=card.cycle.pk)
    pillar_labels, instrument_labels = dict(Pillar.choices), dict(Instrument.choices)
    return render(request, "monitor/scorecard.html", {
        "card": card, "form": form, "statuses": Status.choices,
        "manage": may(request.user, MANAGE_REVIEWS),
        "pillars": [(pillar_labels[g.key], g, c)
                    for g, c in zip(card.pillars, card.pillar_changes, strict=True)],
        "instruments": [(instrument_labels[g.key], g, c)
                        for g, c in zip(card.instruments, card.instrument_changes, strict=True)],
        "publications": [(p, services.may_decide_publication(request.user, p))
                         for p in card.publications],
        "publishable": card.cycle.status == "closed" and not any(
            p.status != "rejected" for p in card.publications)})

"""The obligation catalogue's pages: the list with its verification counts, one entry with its
history, the coordinator's correction and verification."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.access.policy import may
from crossroads.pages import apply_service_errors, page_view, paginate

from .. import queries, services
from ..choices import OBLIGATION_FIELDS, Pillar, Verification
from ..forms import CorrectionForm, VerifyForm
from ..rules import MANAGE_REVIEWS


@page_view
def catalogue(request):
    pillar = request.GET.get("pillar", "")
    verification = request.GET.get("verification", "")
    found = queries.obligations(request.user,
                                pillar=pillar if pillar in Pillar.values else "",
                                verification=verification if verification in Verification.values
                                else "")
    counts = queries.verification_counts(queries.obligations(request.user))
    return render(request, "monitor/catalogue.html", {
        "page": paginate(request, found), "pillars": Pillar.choices, "pillar": pillar,
        "verifications": Verification.choices, "verification": verification,
        "counts": [(Verification(v).label, n) for v, n in counts.items()]})


@page_view
def entry(request, key: str):
    item = queries.obligation(request.user, key)
    manage = may(request.user, MANAGE_REVIEWS)
    correction = CorrectionForm(initial={name: getattr(item, name) for name in OBLIGATION_FIELDS})
    verify = VerifyForm()
    if request.method == "POST" and manage:
        try:
            if "verify" in request.POST:
                verify = VerifyForm(request.POST)
                if verify.is_valid():
                    services.mark_verified(request.user, item, verify.cleaned_data["source"])
                    messages.success(request, _("Marked as verified against the official text."))
                    return redirect("monitor-obligation", key=item.key)
            else:
                correction = CorrectionForm(request.POST)
                if correction.is_valid():
                    data = dict(correction.cleaned_data)
                    reason = data.pop("reason")
                    services.correct_obligation(request.user, item, data, reason)
                    messages.success(request, _("Corrected; the history keeps the earlier text."))
                    return redirect("monitor-obligation", key=item.key)
        except ValidationError as error:
            apply_service_errors(verify if "verify" in request.POST else correction, error)
    return render(request, "monitor/obligation.html", {
        "item": item, "revisions": queries.revisions(request.user, item), "manage": manage,
        "correction": correction, "verify": verify})

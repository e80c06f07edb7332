"""Pages of a victim's protection beyond the file page: one residence permit (its decision and
dates, changed with its version) and a child's best-interests assessments."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, can, may, require_capability
from crossroads.assistance import queries
from crossroads.assistance.forms import AssessmentForm, PermitChangeForm
from crossroads.assistance.rules import ASSESS_BEST_INTERESTS
from crossroads.assistance.services import best_interests, permits
from crossroads.assistance.services.best_interests import AssessmentInput
from crossroads.assistance.services.permits import PermitInput
from crossroads.pages import page_view
from crossroads.registry.forms import service_input

from .files import granted_permits, submit

PERMIT_FIELDS = ("ground", "applied_on", "decision", "decided_on", "valid_from", "valid_until",
                 "renewal_of", "note", "version")


@page_view
def permit_page(request, permit_id):
    """A residence permit: its dates and decision, changed from the version shown."""
    require_capability(request.user, "assist_victims")
    permit = queries.permit_or_404(request.user, permit_id)
    granted = [p for p in granted_permits(permit.file.permits.all()) if p.pk != permit.pk]

    def rerender(bound, status=422):
        current = queries.permit_or_404(request.user, permit_id)
        form = bound or PermitChangeForm(granted=granted, initial={
            name: getattr(current, "renewal_of_id" if name == "renewal_of" else name)
            for name in PERMIT_FIELDS})
        return render(request, "assistance/permit.html", {
            "permit": current, "file": current.file, "form": form,
            "may_change": can(request.user, CHANGE, current)}, status=status)

    if request.method != "POST":
        return rerender(None, status=200)
    return submit(request, PermitChangeForm(request.POST, granted=granted),
                  lambda d: permits.update_permit(request.user, permit,
                                                  service_input(PermitInput, d),
                                                  version=d["version"]),
                  _("Residence permit updated."),
                  redirect("assistance-file", file_id=permit.file_id), rerender)


@page_view
def best_interests_page(request, file_id):
    """A child's best-interests assessments, and a form for a new one (case workers)."""
    require_capability(request.user, "assist_victims")
    file = queries.file_or_404(request.user, file_id)
    may_assess = may(request.user, ASSESS_BEST_INTERESTS) and can(request.user, CHANGE, file)

    def rerender(bound, status=422):
        return render(request, "assistance/best_interests.html", {
            "file": file, "may_assess": may_assess, "form": bound or AssessmentForm(),
            "assessments": queries.best_interests(request.user, file,
                                                  context="assistance best interests page")},
            status=status)

    if request.method != "POST":
        return rerender(None, status=200)
    return submit(request, AssessmentForm(request.POST),
                  lambda d: best_interests.record_assessment(request.user, file,
                                                             service_input(AssessmentInput, d)),
                  _("Best-interests assessment recorded."),
                  redirect("assistance-best-interests", file_id=file.pk), rerender)

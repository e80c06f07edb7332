"""Pages of the referral mechanism for one case and one victim's file: identification,
consent, timers, the assistance plan, milestones and shelter stays. Every write goes through
the assistance services; a refused input re-renders the page with the error at its field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.access.models import Agency
from crossroads.access.policy import CHANGE, VIEW, can, get_visible_or_404, may, require_capability
from crossroads.assistance import queries, retrafficking
from crossroads.assistance.choices import ConsentPurpose, PermitDecision
from crossroads.assistance.forms import (
    AdmissionForm,
    ConsentForm,
    DecisionForm,
    MilestoneForm,
    OpenFileForm,
    OutcomeForm,
    PermitForm,
    ReferralForm,
    ServiceForm,
    ServiceUpdateForm,
)
from crossroads.assistance.models import ProtectionTimer, Service, ShelterStay
from crossroads.assistance.rules import ASSESS_BEST_INTERESTS, EDIT_ASSISTANCE, KEEP_CARE_RECORD
from crossroads.assistance.services import (
    care,
    consent,
    identification,
    permits,
    referrals,
    shelters,
    timers,
)
from crossroads.assistance.services.permits import PermitInput
from crossroads.pages import apply_service_errors, page_view
from crossroads.registry.forms import service_input
from crossroads.registry.models import Case, Person
from crossroads.versions import StaleVersion, stale_message


def submit(request, form, act, success: str, back, rerender):
    """Validate, call the service, redirect with a message; or show the errors (422). A form
    built from an older version of its record changes nothing: the page shows the record as
    it is now (409)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
            messages.success(request, success)
            return back
        except ValidationError as error:
            apply_service_errors(form, error)
        except StaleVersion:
            messages.error(request, stale_message())
            response = rerender(None)
            response.status_code = 409
            return response
    return rerender(form)


# ---------------------------------------------------------------------------- case page

def _case_context(request, case, referral_form=None):
    user = request.user
    victims, files = queries.case_victims(user, case, context="assistance case page")
    agencies = Agency.objects.restrict(user, VIEW).filter(active=True).exclude(pk=user.agency_id)
    may_change = can(user, CHANGE, case) and may(user, EDIT_ASSISTANCE)
    return {"case": case, "may_change": may_change,
            "victims": [{"person": p, "file": files.get(p.pk),
                         "referral_consent": consent.answer(p, ConsentPurpose.REFERRAL),
                         "form": OpenFileForm(prefix=f"p{p.pk}")}
                        for p in victims],
            "referrals": queries.referrals_for(user).filter(case=case),
            "flags": retrafficking.flags_for(user, case),
            "notices": retrafficking.notices_for(user, case),
            "referral_form": referral_form or ReferralForm(agencies=agencies)}


def _case(request, case_id, action=VIEW):
    require_capability(request.user, "assist_victims")
    return get_visible_or_404(Case.objects.select_related("owner_agency"), request.user,
                      pk=case_id)


@page_view
def case_assistance(request, case_id):
    case = _case(request, case_id)
    return render(request, "assistance/case.html", _case_context(request, case))


@page_view
@require_POST
def file_open(request, case_id, person_id):
    case = _case(request, case_id)
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    form = OpenFileForm(request.POST, prefix=f"p{person.pk}")
    form.is_valid()  # two optional checkboxes: always valid
    try:
        file = identification.open_file(request.user, case, person,
                                        may_be_child=form.cleaned_data["may_be_child"],
                                        unaccompanied=form.cleaned_data["unaccompanied"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("case-assistance", case_id=case.pk)
    return redirect("assistance-file", file_id=file.pk)


@page_view
@require_POST
def referral_create(request, case_id):
    case = _case(request, case_id)
    agencies = Agency.objects.restrict(request.user, VIEW).filter(active=True)
    form = ReferralForm(request.POST, agencies=agencies)
    return submit(
        request, form, lambda data: referrals.create(
            request.user, case, to_agency=int(data["to_agency"]), purpose=data["purpose"],
            reason=data["reason"], note=data["note"], transfer=data["transfer"],
            urgency=data["urgency"], override_reason=data["best_interest_override"]),
        _("Referral sent."), redirect("assistance-case", case_id=case.pk),
        lambda bound: render(request, "assistance/case.html",
                             _case_context(request, case, bound), status=422))


# ---------------------------------------------------------------------------- file page

def _file_context(request, file, **bound):
    user = request.user
    care_record = may(user, KEEP_CARE_RECORD)
    detail = queries.file_detail(user, file, context="assistance file page")
    current = {p: consent.answer(file.person, p) for p in ConsentPurpose.values}
    context = {
        "file": file, "detail": detail, "care": care_record,
        "may_change": can(user, CHANGE, file),
        "consents": [(ConsentPurpose(p).label, given) for p, given in current.items()],
        "decision_form": DecisionForm(current=file.status),
        "consent_form": ConsentForm(prefix="consent"),
        "service_form": ServiceForm(prefix="service"), "service_update_form": ServiceUpdateForm(),
        "milestone_form": MilestoneForm(prefix="milestone"),
        "permit_form": PermitForm(prefix="permit", granted=granted_permits(detail["permits"])),
        "assessments": (queries.best_interests(user, file, context="assistance file page")
                        if file.presumed_child else []),
        "may_assess": may(user, ASSESS_BEST_INTERESTS) and can(user, CHANGE, file),
    }
    for timer in detail["timers"]:
        timer.outcome_form = bound.pop(f"outcome_{timer.pk}", None) or OutcomeForm(
            prefix=f"t{timer.pk}")
    if care_record:
        context["admission_form"] = AdmissionForm(shelters=shelters.admittable(user))
    context.update(bound)
    return context


def granted_permits(shown) -> list:
    """The granted permits among those shown: what a renewal may name."""
    return [p for p in shown if p.decision == PermitDecision.GRANTED]


def _file(request, file_id):
    require_capability(request.user, "assist_victims")
    return queries.file_or_404(request.user, file_id)


@page_view
def file_page(request, file_id):
    file = _file(request, file_id)
    return render(request, "assistance/file.html", _file_context(request, file))


def _file_action(request, file, slot: str, form, act, success: str):
    return submit(request, form, act, success, redirect("assistance-file", file_id=file.pk),
                   lambda bound: render(request, "assistance/file.html",
                                        _file_context(request, file, **({slot: bound} if bound else {})),
                                        status=422))


@page_view
@require_POST
def file_decide(request, file_id):
    file = _file(request, file_id)
    return _file_action(request, file, "decision_form",
                        DecisionForm(request.POST, current=file.status),
                        lambda d: identification.decide(request.user, file, d["status"],
                                                        d["reason"],
                                                        from_status=d["from_status"]),
                        _("Decision recorded."))


@page_view
@require_POST
def permit_record(request, file_id):
    file = _file(request, file_id)
    granted = granted_permits(file.permits.all())
    return _file_action(request, file, "permit_form",
                        PermitForm(request.POST, prefix="permit", granted=granted),
                        lambda d: permits.record_permit(request.user, file,
                                                        service_input(PermitInput, d)),
                        _("Residence permit recorded."))


@page_view
@require_POST
def file_consent(request, file_id):
    file = _file(request, file_id)
    return _file_action(request, file, "consent_form", ConsentForm(request.POST, prefix="consent"),
                        lambda d: consent.record_consent(request.user, file.person, d["purpose"],
                                                         d["granted"], d["note"]),
                        _("Consent recorded."))


@page_view
@require_POST
def timer_complete(request, timer_id):
    require_capability(request.user, "assist_victims")
    timer = get_visible_or_404(ProtectionTimer.objects.select_related("file__person", "file__case"),
                               request.user, pk=timer_id)
    return _file_action(request, timer.file, f"outcome_{timer.pk}",
                        OutcomeForm(request.POST, prefix=f"t{timer.pk}"),
                        lambda d: timers.complete(request.user, timer, d["outcome"]),
                        _("Marked as done."))


@page_view
@require_POST
def service_plan(request, file_id):
    file = _file(request, file_id)
    return _file_action(request, file, "service_form", ServiceForm(request.POST, prefix="service"),
                        lambda d: care.plan_service(request.user, file, d["kind"],
                                                    planned_on=d["planned_on"], note=d["note"]),
                        _("Service added to the plan."))


@page_view
@require_POST
def service_update(request, service_id):
    require_capability(request.user, "assist_victims")
    service = get_visible_or_404(Service.objects.select_related("file__person", "file__case"),
                                 request.user, pk=service_id)
    return _file_action(request, service.file, "service_update_form",
                        ServiceUpdateForm(request.POST),
                        lambda d: care.update_service(request.user, service, d["status"],
                                                      version=d["version"]),
                        _("Service updated."))


@page_view
@require_POST
def milestone_add(request, file_id):
    file = _file(request, file_id)
    return _file_action(request, file, "milestone_form",
                        MilestoneForm(request.POST, prefix="milestone"),
                        lambda d: care.add_milestone(request.user, file, d["kind"],
                                                     d["reached_on"], d["note"]),
                        _("Milestone recorded."))


@page_view
@require_POST
def admission(request, file_id):
    file = _file(request, file_id)
    options = shelters.admittable(request.user)
    by_id = {str(s.pk): s for s in options}
    return _file_action(request, file, "admission_form",
                        AdmissionForm(request.POST, shelters=options),
                        lambda d: shelters.admit(request.user, by_id[d["shelter"]], file,
                                                 d["admitted_on"]),
                        _("Admitted to the shelter."))


@page_view
@require_POST
def discharge(request, stay_id):
    require_capability(request.user, "assist_victims")
    stay = get_visible_or_404(ShelterStay.objects.select_related("file__person", "file__case"),
                              request.user, pk=stay_id)
    try:
        shelters.discharge(request.user, stay)
        messages.success(request, _("Discharged from the shelter."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assistance-file", file_id=stay.file_id)

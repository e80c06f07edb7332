"""Pages of the inquiries: the list, opening one from alerts or from a complaint, and the
inquiry's page where each step is a form (status, findings, alerts, recommendations, the
agency's answers). A form built from an older version of the record is refused (409) and the
page shows the record as it is now."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.access.models import Agency
from crossroads.access.policy import require_capability
from crossroads.pages import apply_service_errors, page_view, paginate, query_without_page
from crossroads.registry.forms import service_input
from crossroads.versions import StaleVersion, stale_message

from .. import queries, services
from ..forms import (
    AddAlertForm,
    AnswerForm,
    ComplaintForm,
    FindingsForm,
    InquiryFilterForm,
    InquiryStepForm,
    RecommendationForm,
)
from ..rules import OVERSEE


def _agencies(user):
    return Agency.objects.filter(jurisdiction_id=user.jurisdiction_id, active=True).order_by(
        "name")


@page_view
def inquiry_list(request):
    form = InquiryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, queries.inquiries(request.user, filters), 50)
    return render(request, "oversight/inquiry_list.html", {
        "form": form, "page": page, "query": query_without_page(request)})


@page_view
def inquiry_from_alerts(request):
    """The button of an alert's page: a POST naming the alert(s)."""
    require_capability(request.user, OVERSEE)
    if request.method != "POST":
        return redirect("oversight-inquiries")
    ids = [int(v) for v in request.POST.getlist("alerts") if v.isdigit()]
    try:
        made = services.open_from_alerts(request.user, ids)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("oversight-alerts")
    messages.success(request, _("The inquiry is open."))
    return redirect("oversight-inquiry", inquiry_id=made.pk)


@page_view
def inquiry_from_complaint(request):
    require_capability(request.user, OVERSEE)
    agencies = _agencies(request.user)
    form = ComplaintForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.open_from_complaint(request.user, service_input(
                services.ComplaintInput, form.cleaned_data, agency_id=form.cleaned_data["agency"]))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The inquiry is open."))
            return redirect("oversight-inquiry", inquiry_id=made.pk)
    return render(request, "oversight/inquiry_complaint.html", {"form": form},
                  status=422 if form.is_bound else 200)


def _forms(user, inquiry, data=None, step=None) -> dict:
    """The step forms of the page, the one posted (`step`) bound to `data`."""
    initial = {"version": inquiry.version}
    agencies = _agencies(user)
    makers = {
        "status": lambda d, a: InquiryStepForm(d, initial=initial, auto_id=a),
        "findings": lambda d, a: FindingsForm(d, initial={**initial, "findings": inquiry.findings},
                                              auto_id=a),
        "alert": lambda d, a: AddAlertForm(d, initial=initial, auto_id=a),
        "recommend": lambda d, a: RecommendationForm(d, initial=initial, agencies=agencies,
                                                     auto_id=a),
    }
    return {name: make(data if name == step else None, f"{name}_%s")
            for name, make in makers.items()}


def _act(request, inquiry, step: str, data: dict) -> None:
    user, version = request.user, data["version"]
    if step == "status":
        services.move_inquiry(user, inquiry.pk, data["status"], data["reason"], version=version)
    elif step == "findings":
        services.write_findings(user, inquiry.pk, data["findings"], version=version)
    elif step == "alert":
        services.link_alerts(user, inquiry.pk, [data["alert"]], version=version)
    elif step == "recommend":
        services.recommend(user, inquiry.pk, service_input(
            services.RecommendationInput, data, agency_id=data["agency"]), version=version)
    elif step == "answer":
        services.answer(user, data["recommendation"], service_input(services.AnswerInput, data),
                        version=version)


def _answer_ids(recommendation) -> str:
    """Each recommendation's answer form has ids of its own on the page."""
    return f"answer{recommendation if str(recommendation).isdigit() else ''}_%s"


@page_view
def inquiry_detail(request, inquiry_id: int):
    inquiry = queries.inquiry(request.user, inquiry_id)
    step = request.POST.get("step") if request.method == "POST" else None
    forms = _forms(request.user, inquiry, request.POST, step)
    answer = AnswerForm(request.POST, auto_id=_answer_ids(request.POST.get(
        "recommendation"))) if step == "answer" else None
    status = 200
    if step is not None:
        form = answer or forms.get(step)
        if form is None:
            raise Http404
        status = 422
        if form.is_valid():
            try:
                _act(request, inquiry, step, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except StaleVersion:
                status = 409
                messages.error(request, stale_message())
                inquiry = queries.inquiry(request.user, inquiry_id)
                forms, answer = _forms(request.user, inquiry), None
            else:
                messages.success(request, _("Saved."))
                return redirect("oversight-inquiry", inquiry_id=inquiry.pk)
    recommendations = list(inquiry.recommendations.all())
    for rec in recommendations:
        posted = answer is not None and answer.data.get("recommendation") == str(rec.pk)
        rec.form = answer if posted else AnswerForm(auto_id=_answer_ids(rec.pk), initial={
            "recommendation": rec.pk, "version": rec.version, "status": rec.status,
            "answer": rec.answer, "answered_on": rec.answered_on})
    return render(request, "oversight/inquiry_detail.html", {
        "inquiry": inquiry, "recommendations": recommendations, "forms": forms},
                  status=status)

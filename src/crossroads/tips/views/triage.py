"""The triage team's pages (queue with its groups of possible duplicates, one report) and the
hotline operator's pages (call entry, their own calls)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.access.policy import require_capability
from crossroads.pages import apply_service_errors, page_view, paginate, query_without_page
from crossroads.registry.choices import HandlingCode
from crossroads.registry.forms import service_input
from crossroads.versions import StaleVersion, stale_message

from .. import queries, services
from ..choices import Status, Urgency
from ..forms import HotlineCallForm, MessageForm, MyCallsForm, TriageForm
from ..rules import ENTER_CALL, TRIAGE


@page_view
def queue(request):
    require_capability(request.user, TRIAGE)
    status, urgency = request.GET.get("status", ""), request.GET.get("urgency", "")
    reports = queries.queue(request.user, status=status if status in Status.values else "",
                            urgency=urgency if urgency in Urgency.values else "")
    return render(request, "tips/queue.html", {
        "page": paginate(request, reports), "statuses": Status.choices,
        "groups": queries.duplicate_groups(request.user, context="queue"),
        "urgencies": Urgency.choices, "status": status, "urgency": urgency})


@page_view
def report_page(request, report_id: int):
    require_capability(request.user, TRIAGE)
    message_form, triage_form = MessageForm(), TriageForm()
    if request.method == "POST":
        report = queries.visible_report(request.user, report_id)
        if "step" in request.POST:
            triage_form = TriageForm(request.POST)
            if triage_form.is_valid() and _step(request, report, triage_form):
                return redirect("tips-report", report_id=report.pk)
        else:
            message_form = MessageForm(request.POST)
            if message_form.is_valid() and _write(request, report, message_form):
                return redirect("tips-report", report_id=report.pk)
    view = queries.report_view(request.user, report_id, context="page")
    return render(request, "tips/report_page.html", {
        "view": view, "report": view.report, "message_form": message_form,
        "triage_form": triage_form})


def _step(request, report, form) -> bool:
    data = form.cleaned_data
    try:
        services.take_step(request.user, report, data["step"], assignee=data["assignee"],
                           reason=data["reason"], case=data["case"],
                           handling_code=data["handling_code"] or HandlingCode.H1,
                           duplicate_of=data["duplicate_of"], version=data["version"])
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    except StaleVersion:
        form.add_error(None, stale_message())
        return False
    messages.success(request, _("Saved."))
    return True


def _write(request, report, form) -> bool:
    try:
        services.write_to_reporter(request.user, report, form.cleaned_data["text"])
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    messages.success(request, _("Sent. The reporter reads it with their receipt code."))
    return True


@page_view
def hotline_call(request):
    require_capability(request.user, ENTER_CALL)
    form = HotlineCallForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            _report, code = services.file_report(
                service_input(services.ReportInput, form.cleaned_data), operator=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return render(request, "tips/call_entered.html", {"receipt": code})
    return render(request, "tips/hotline_call.html", {"form": form})


@page_view
def my_calls(request):
    require_capability(request.user, ENTER_CALL)
    form = MyCallsForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    calls = queries.my_calls(request.user, state=filters.get("state", ""),
                             date_from=filters.get("date_from"), date_to=filters.get("date_to"))
    return render(request, "tips/my_calls.html", {
        "form": form, "page": paginate(request, calls), "query": query_without_page(request)})


@page_view
def my_call(request, report_id: int):
    require_capability(request.user, ENTER_CALL)
    return render(request, "tips/my_call.html", {
        "call": queries.my_call(request.user, report_id, context="page")})

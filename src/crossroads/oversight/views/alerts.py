"""Pages of oversight: alerts and their triage, the dashboard, the thresholds, the access
reports (page and PDF) and the search by name."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.access.policy import require_capability
from crossroads.pages import apply_service_errors, page_view, paginate, query_without_page

from .. import queries, report, services
from ..detection import DEFAULTS
from ..forms import (
    AlertFilterForm,
    AssignForm,
    LinkToInquiryForm,
    NameForm,
    NoteForm,
    PeriodForm,
    SubjectForm,
    TriageForm,
)
from ..rules import OVERSEE


@page_view
def alert_list(request):
    form = AlertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, queries.alerts(request.user, filters), 50)
    return render(request, "oversight/alert_list.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "subject_form": SubjectForm()})


def _accounts(alert):
    return [u for u in User.objects.filter(is_active=True, role=Role.OVERSIGHT)
            .select_related("agency").exclude(pk=alert.actor_id)
            if u.jurisdiction_id == alert.jurisdiction]


@page_view
def alert_detail(request, alert_id: int):
    alert = queries.alert(request.user, alert_id)
    triage, assign, note = TriageForm(), AssignForm(accounts=_accounts(alert), initial={
        "assignee": alert.assigned_to_id}), NoteForm()
    joined = list(queries.inquiries(request.user).filter(alerts=alert))
    running = queries.inquiries(request.user).still_open().exclude(alerts=alert)
    link = LinkToInquiryForm(inquiries=running)
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "status":
                triage = TriageForm(request.POST)
                if triage.is_valid():
                    services.move(request.user, alert.pk, triage.cleaned_data["status"],
                                  triage.cleaned_data["reason"])
                    messages.success(request, _("The alert's status is changed."))
                    return redirect("oversight-alert", alert_id=alert.pk)
            elif step == "assign":
                assign = AssignForm(request.POST, accounts=_accounts(alert))
                if assign.is_valid():
                    services.assign(request.user, alert.pk, assign.cleaned_data["assignee"])
                    messages.success(request, _("The alert's assignment is changed."))
                    return redirect("oversight-alert", alert_id=alert.pk)
            elif step == "link":
                link = LinkToInquiryForm(request.POST, inquiries=running)
                if link.is_valid():
                    services.link_alerts(request.user, link.cleaned_data["inquiry"], [alert.pk])
                    messages.success(request, _("The alert joins the inquiry."))
                    return redirect("oversight-inquiry", inquiry_id=link.cleaned_data["inquiry"])
            elif step == "note":
                note = NoteForm(request.POST)
                if note.is_valid():
                    services.add_note(request.user, alert.pk, note.cleaned_data["text"])
                    messages.success(request, _("The note is added."))
                    return redirect("oversight-alert", alert_id=alert.pk)
        except ValidationError as error:
            form = {"status": triage, "assign": assign, "link": link}.get(step, note)
            apply_service_errors(form, error)
        status = 422
    return render(request, "oversight/alert_detail.html", {
        "alert": alert, "entries": queries.presented(queries.alert_entries(request.user, alert)),
        "notes": queries.notes(request.user, alert), "triage": triage, "assign": assign,
        "note": note, "link": link, "joined": joined}, status=status)


def _boards(request) -> tuple[PeriodForm, dict]:
    """The period asked for (a wrong one shows its errors and counts nothing) and the counts."""
    require_capability(request.user, OVERSEE)
    form = PeriodForm(request.GET or None)
    period = queries.Period(**form.cleaned_data) if form.is_valid() else queries.Period()
    if form.is_bound and not form.is_valid():
        return form, {}
    return form, {"board": queries.dashboard(request.user, period),
                  "inquiries": queries.inquiry_board(request.user, period), "period": period}


@page_view
def dashboard(request):
    form, boards = _boards(request)
    return render(request, "oversight/dashboard.html", {
        "form": form, "query": query_without_page(request), **boards},
        status=200 if boards else 400)


@page_view
def dashboard_pdf(request):
    """The oversight report: the dashboard's counts for a period as a PDF, audited as an export."""
    form, boards = _boards(request)
    if not boards:
        return render(request, "oversight/dashboard.html", {"form": form}, status=400)
    period = boards["period"]
    queries.record_report(request.user, "oversight", since=str(period.since or ""),
                          until=str(period.until or ""))
    content = report.pdf("oversight/report_pdf.html", {
        **boards, "made_at": timezone.now(), "made_by": request.user})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="oversight-report.pdf"'
    return response


@page_view
def thresholds(request):
    require_capability(request.user, OVERSEE)
    values = services.thresholds()
    return render(request, "oversight/thresholds.html", {
        "rows": [(name, values[name], DEFAULTS[name]) for name in DEFAULTS]})


@page_view
def subject(request):
    """The subject form of the alert list: to the report it names."""
    form = SubjectForm(request.GET)
    if form.is_valid():
        for name, route in (("person", "oversight-person"), ("case", "oversight-case"),
                            ("account", "oversight-account")):
            if form.cleaned_data.get(name):
                return redirect(route, form.cleaned_data[name])
    return redirect("oversight-alerts")


REPORTS = {
    "person": (queries.person_access, gettext_lazy("Who saw person #%(id)s")),
    "case": (queries.case_access, gettext_lazy("Who saw case #%(id)s")),
    "account": (queries.account_access, gettext_lazy("What account #%(id)s did")),
}


def _report(request, kind: str, subject_id: int, as_pdf: bool):
    read, title = REPORTS[kind]
    entries = queries.presented(read(request.user, subject_id))
    context = {"title": str(title) % {"id": subject_id}, "kind": kind,
               "subject": subject_id, "made_at": timezone.now(), "made_by": request.user}
    if as_pdf:
        queries.record_report(request.user, kind, subject_id)
        content = report.pdf("oversight/access_report_pdf.html", {**context, "entries": entries})
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="access-{kind}-{subject_id}.pdf"'
        return response
    return render(request, "oversight/access_report.html", {
        **context, "page": paginate(request, entries, 100)})


@page_view
def person_access(request, person_id: int):
    return _report(request, "person", person_id, False)


@page_view
def person_access_pdf(request, person_id: int):
    return _report(request, "person", person_id, True)


@page_view
def case_access(request, case_id: int):
    return _report(request, "case", case_id, False)


@page_view
def case_access_pdf(request, case_id: int):
    return _report(request, "case", case_id, True)


@page_view
def account_access(request, account_id: int):
    return _report(request, "account", account_id, False)


@page_view
def account_access_pdf(request, account_id: int):
    return _report(request, "account", account_id, True)


@page_view
def name_search(request):
    """A POST: the name stays out of the URL (and out of the server's logs)."""
    require_capability(request.user, OVERSEE)
    form = NameForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = queries.presented(queries.searched_for(request.user, form.cleaned_data["name"]))
    return render(request, "oversight/name_search.html", {"form": form, "found": found},
                  status=422 if form.is_bound and not form.is_valid() else 200)



"""The case log page: dated entries with their evidence files; uploads, and downloads checked
against the SHA-256 taken at upload (audited by the query)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.investigations import queries, services
from crossroads.investigations.forms import EventForm, EvidenceForm
from crossroads.pages import page_view

from . import submit


def _page(request, case, form=None, evidence_form=None):
    user = request.user
    events = queries.case_log(user, case.pk, context="case log page")
    writes = queries.writes_log(user, case)
    for event in events:
        event.evidence_form = (evidence_form if evidence_form and evidence_form.prefix ==
                               f"e{event.pk}" else EvidenceForm(event_id=event.pk))
    return render(request, "investigations/log.html", {
        "case": case, "events": events, "writes": writes, "form": form or EventForm()})


@page_view
def log_page(request, case_id):
    return _page(request, queries.log_case(request.user, case_id))


@page_view
@require_POST
def event_add(request, case_id):
    user = request.user
    case = queries.log_case(user, case_id)
    form = EventForm(request.POST)
    return submit(request, form, lambda d: services.add_event(user, case, form.event_input()),
                  _("Entry added to the log."), "investigations-log",
                  lambda bound: _page(request, case, form=bound), case.pk)


@page_view
@require_POST
def evidence_add(request, event_id):
    user = request.user
    event = queries.event(user, event_id)
    form = EvidenceForm(request.POST, request.FILES, event_id=event.pk)

    def act(data):
        upload = data["file"]
        # One byte over the limit is enough to refuse it, whatever the file's real size.
        content = upload.read(settings.CROSSROADS_EVIDENCE_MAX_BYTES + 1)
        services.attach_evidence(user, event, upload.name or "", content)

    return submit(request, form, act, _("Evidence file attached."), "investigations-log",
                  lambda bound: _page(request, event.case, evidence_form=bound), event.case_id)


@page_view
def evidence_download(request, evidence_id):
    """The file, once its SHA-256 matches the one taken at upload; else a page saying so."""
    try:
        evidence = queries.evidence_download(request.user, evidence_id, context="case log page")
    except queries.TamperedEvidence:
        return render(request, "investigations/evidence_tampered.html", status=409)
    response = HttpResponse(evidence.content, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=evidence.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Checksum-SHA256"] = evidence.sha256
    return response

"""Pages for focal points: hits, requests (received and sent), decisions, answers. Every page
calls the same services and queries as the API."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import get_visible_or_404
from crossroads.pages import apply_service_errors, page_view, paginate

from . import queries, services
from .choices import FIELD_LABELS, Direction, RequestStatus
from .forms import ApproveForm, RefuseForm, RequestForm


@page_view
def hit_list(request):
    return render(request, "exchange/hits.html",
                  {"page": paginate(request, queries.visible_hits(request.user)),
                   "no_hub": not settings.CROSSROADS_HUB_URL})


@page_view
def request_new(request, hit_id):
    hit = get_visible_or_404(queries.visible_hits(request.user), request.user, pk=hit_id)
    initial = {"deadline": timezone.localdate() + datetime.timedelta(days=14), "handling_code": "H1"}
    form = RequestForm(request.POST or None, initial=initial,
                       allowed=services.allowed_fields(hit),
                       agreements=queries.citable_agreements(request.user, hit))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_request(request.user, hit, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Request sent to %(node)s.") % {"node": hit.remote_node})
            return redirect("exchange-request", request_id=created.pk)
    return render(request, "exchange/request_new.html", {"hit": hit, "form": form},
                  status=422 if form.errors else 200)


@page_view
def request_list(request):
    visible = queries.visible_requests(request.user)
    return render(request, "exchange/requests.html", {
        "received": visible.filter(direction=Direction.IN)[:100],
        "sent": visible.filter(direction=Direction.OUT)[:100]})


@page_view
def request_page(request, request_id):
    found = get_visible_or_404(queries.visible_requests(request.user), request.user, pk=request_id)
    deciding = found.direction == Direction.IN and found.status == RequestStatus.PENDING
    approve_form = ApproveForm(asked=found.fields_requested, initial={"fields": found.fields_requested})
    refuse_form = RefuseForm()
    if request.method == "POST" and deciding:
        try:
            if "refuse" in request.POST:
                refuse_form = RefuseForm(request.POST)
                if refuse_form.is_valid():
                    services.refuse(request.user, found, **refuse_form.cleaned_data)
                    messages.success(request, _("Request refused."))
                    return redirect("exchange-request", request_id=found.pk)
            else:
                approve_form = ApproveForm(request.POST, asked=found.fields_requested)
                if approve_form.is_valid():
                    services.approve(request.user, found, **approve_form.cleaned_data)
                    messages.success(request, _("Answer sent."))
                    return redirect("exchange-request", request_id=found.pk)
        except ValidationError as error:
            apply_service_errors(refuse_form if "refuse" in request.POST else approve_form, error)
    invalid = approve_form.errors or refuse_form.errors
    return render(request, "exchange/request_page.html", {
        "item": found, "deciding": deciding, "approve_form": approve_form,
        "refuse_form": refuse_form, "field_labels": [FIELD_LABELS[f] for f in found.fields_requested],
        "approved_labels": [FIELD_LABELS[f] for f in found.fields_approved],
        "answered": found.direction == Direction.OUT and found.status in (RequestStatus.APPROVED,
                                                                          RequestStatus.PARTLY)},
        status=422 if invalid else 200)


@page_view
def answer_page(request, request_id):
    found = get_visible_or_404(queries.visible_requests(request.user), request.user, pk=request_id)
    answer = queries.read_answer(request.user, found)
    rows = [(FIELD_LABELS[name], _display(value)) for name, value in answer["values"].items()]
    return render(request, "exchange/answer.html", {"item": found, "answer": answer, "rows": rows})


def _display(value) -> str:
    if isinstance(value, dict) and "precision" in value:
        return value.get("date", "")
    if isinstance(value, dict) and "properties" in value:  # an entity's FtM properties
        return f"{value.get('schema', '')}: " + ", ".join(
            f"{name} {' / '.join(map(str, values))}" for name, values in sorted(value["properties"].items()))
    if isinstance(value, list) and any(isinstance(item, dict) and "properties" in item for item in value):
        return "; ".join(_display(item) for item in value)
    if isinstance(value, list):
        return "; ".join(" ".join(str(v) for v in item.values()) if isinstance(item, dict)
                         else str(item) for item in value)
    return str(value)

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.pages import page_view, paginate, query_without_page
from crossroads.text import spreadsheet_safe

from . import labels
from .choices import Action
from .forms import EntryFilterForm
from .queries import filter_entries
from .services import record

EXPORT_LIMIT = 10_000


def _filtered(request):
    form = EntryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters, filter_entries(request.user, filters)


@page_view
def audit_log(request):
    form, _filters, qs = _filtered(request)
    page = paginate(request, qs, 50)
    labels.label_entries(page.object_list)
    return render(request, "audit/audit_log.html", {
        "form": form, "page": page, "query": query_without_page(request)},
        status=422 if form.is_bound and not form.is_valid() else 200)


@page_view
def audit_export(request):
    """The filtered entries as CSV (the newest EXPORT_LIMIT), cells formula-safe; the export is
    itself an entry of the trail, with its filters."""
    form, filters, qs = _filtered(request)
    entries = list(qs[:EXPORT_LIMIT])
    labels.label_entries(entries)
    record(request.user, Action.EXPORT, object_type="audit.auditentry", details={
        "filters": {k: str(v) for k, v in filters.items() if v}, "rows": len(entries)})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"')
    writer = csv.writer(response)
    writer.writerow([_("Entry"), _("Time"), _("Actor"), _("Role"), _("Action"), _("Object"),
                     _("Outcome"), _("Purpose"), _("Details")])
    for e in entries:
        writer.writerow([spreadsheet_safe(v) for v in (
            e.pk, e.at.isoformat(), e.actor, e.role, e.get_action_display(), e.object_label,
            e.get_outcome_display(), e.purpose, e.details)])
    return response

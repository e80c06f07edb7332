"""The import page: upload a register and its mapping, see the preview, start the import,
follow its progress and download the error report. The work is `services`' (the job's)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.access.policy import may
from crossroads.pages import apply_service_errors, page_view, paginate

from . import queries, services
from .choices import ImportStatus
from .forms import ImportForm
from .mapping import SAMPLE
from .rules import IMPORT_FOR_AGENCY


def _importer(request):
    if not services.may_import(request.user):
        raise Http404


def _agencies(user):
    """The agencies a coordinator chooses from; None for whoever imports for their own."""
    return services.targets(user) if may(user, IMPORT_FOR_AGENCY) else None


@page_view
def imports_page(request):
    _importer(request)
    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    form = ImportForm(request.POST or None, request.FILES or None, too_large=too_large,
                      agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prepared = services.prepare_import(request.user, services.ImportInput(
                file=data["file"], file_name=data["file"].name,
                mapping=data["mapping"] or SAMPLE.read_text(encoding="utf-8"),
                on_bad_row=data["on_bad_row"], dry_run=data["dry_run"],
                agency_id=data.get("agency_id"), lead=data.get("lead", "")))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("import-page", prepared.pk)
    return render(request, "imports/imports.html", {
        "form": form, "page": paginate(request, queries.imports_for(request.user), 20)})


@page_view
def import_page(request, import_id):
    _importer(request)
    found = queries.import_for(request.user, import_id)
    lead_gone = found.status == ImportStatus.READY and not services.acting_active(found)
    preview = (queries.preview(request.user, found)
               if found.status == ImportStatus.READY and not lead_gone else [])
    return render(request, "imports/import.html", {"found": found, "preview": preview,
                                                   "lead_gone": lead_gone})


@page_view
@require_POST
def import_start(request, import_id):
    _importer(request)
    found = queries.import_for(request.user, import_id)
    try:
        services.start_import(request.user, found)
        messages.success(request, _("The import is queued; its progress shows below."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("import-page", found.pk)


@page_view
def import_report(request, import_id):
    _importer(request)
    found = queries.import_for(request.user, import_id)
    response = HttpResponse(queries.error_report(request.user, found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{found.pk}-errors.csv"'
    return response


@page_view
def sample_mapping(request):
    _importer(request)
    return FileResponse(SAMPLE.open("rb"), as_attachment=True, filename=SAMPLE.name,
                        content_type="application/yaml")

"""Pages of networks: a case's network (picture and summary table), an entity, the corridors
of the victims' routes, and the imports of an FtM file and of call records. Each parses its
form, calls a query or service and renders; the picture's data goes in a json_script block
(no inline script: the Content-Security-Policy allows the node's own files only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from crossroads import countries
from crossroads.pages import apply_service_errors, page_view

from . import queries, services
from .choices import LINK_ENDS, SelectorKind
from .forms import CdrForm, FtmFileForm, NetworkFilterForm

SESSION_CDR = "networks-cdr-preview"


def _node(entity, *, case_id: int) -> dict:
    return {"id": str(entity.pk), "label": entity.caption or entity.schema,
            "schema": entity.schema, "case": entity.case.reference,
            "other_case": entity.case_id != case_id,
            "community": getattr(entity, "community", None),
            "broker": getattr(entity, "broker", None) is not None,
            "url": reverse("network-entity", args=[entity.pk])}


def _elements(data) -> dict:
    """The picture's nodes and edges, as the neighbours route gives them too."""
    case_id = data["case"].pk
    nodes = [_node(e, case_id=case_id) for e in [*data["entities"], *data["others"]]]
    edges = [{"id": f"l{link.pk}", "source": str(link.source_entity_id),
              "target": str(link.target_entity_id), "schema": link.schema,
              "start": link.start_date, "end": link.end_date}
             for link in data["links"]]
    for row in data["shared"]:
        row["label"] = SelectorKind(row["kind"]).label
    edges += [{"id": f"s{row['entity'].pk}-{row['other'].pk}-{row['kind']}",
               "source": str(row["entity"].pk), "target": str(row["other"].pk),
               "schema": "shared", "kind": row["kind"], "start": "", "end": ""}
              for row in data["shared"]]
    return {"nodes": nodes, "edges": edges}


@page_view
def network_page(request, case_id):
    form = NetworkFilterForm(request.GET or None)
    filters = form.filters()
    data = queries.case_network(request.user, case_id, **filters,
                                context="network page")
    return render(request, "networks/network.html", {
        **data, "form": form, "elements": _elements(data),
        "shown_entities": len(data["entities"]) + len(data["others"]),
        "shown_links": len(data["links"]) + len(data["shared"]),
        "may_change": queries.may_change(request.user, data["case"]),
        "query": {"schema": filters["schemata"], "start": filters["start"],
                  "end": filters["end"]},
        "neighbours_url": reverse("api:neighbours", kwargs={"entity_id": 0}),
        "link_types": list(LINK_ENDS),
        "kinds": {kind.value: str(kind.label) for kind in SelectorKind}})


@page_view
def entity_page(request, entity_id):
    data = queries.entity_page(request.user, entity_id, context="network entity page")
    entity = data["entity"]
    for row in data["shared"]:
        row["kind"] = SelectorKind(row["kind"]).label
    properties = sorted((name, values) for name, values in entity.properties.items())
    return render(request, "networks/entity.html", {**data, "properties": properties})


@page_view
def corridors_page(request):
    data = queries.corridors(request.user, context="corridors page")
    for row in data["rows"]:
        row["recruitment_name"] = countries.name(row["recruitment"]) if row["recruitment"] else ""
        row["exploitation_name"] = countries.name(row["exploitation"]) if row["exploitation"] else ""
        row["transit_names"] = [countries.name(code) for code in row["transit"]]
    return render(request, "networks/corridors.html",
                  {**data, "grand_total": sum(data["totals"])})


def _by_line(problems: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Every problem of a file (`lines.N.properties.P`: message), in the order of its lines."""
    return [(where, message) for where, found in sorted(
        problems.items(), key=lambda item: _line_order(item[0])) for message in found]


def _upload_form(request, case_id, form_class):
    """The case (whose network the user may change) and the upload form, bound on a POST."""
    case = queries.network_case(request.user, case_id, change=True)
    return case, form_class(request.POST or None, request.FILES or None)


def _line_order(where: str):
    parts = where.split(".")
    return (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0, where)


@page_view
@require_http_methods(["GET", "POST"])
def ftm_import_page(request, case_id):
    user = request.user
    case, form = _upload_form(request, case_id, FtmFileForm)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload, source = form.cleaned_data["file"], form.cleaned_data["source"]
        try:
            if upload.size > services.INLINE_BYTES:
                queued = services.queue_ftm_upload(user, case, upload, source=source)
                messages.success(request, _("The file is queued; this page shows its progress."))
                return redirect("network-ftm-import", queued.pk)
            done = services.import_ftm(user, case, services.read_lines(upload), source=source)
            messages.success(request, _("Imported: %(entities)s, %(links)s.") % {
                "entities": ngettext("%(n)d entity", "%(n)d entities", done.entities) % {
                    "n": done.entities},
                "links": ngettext("%(n)d link", "%(n)d links", done.links) % {"n": done.links}})
            return redirect("network-case", case.pk)
        except ValidationError as error:
            if set(error.message_dict) <= {"file", "source"}:
                apply_service_errors(form, error)
            else:
                problems = _by_line(error.message_dict)
    response = render(request, "networks/ftm_import.html", {
        "case": case, "form": form, "problems": problems,
        "queued": queries.ftm_imports(user, case)[:10]})
    if request.method == "POST":
        response.status_code = 422
    return response


@page_view
def ftm_import_status(request, import_id):
    queued = queries.ftm_import(request.user, import_id)
    return render(request, "networks/ftm_import_status.html", {
        "queued": queued, "case": queued.case,
        "problems": _by_line(queued.problems)})


def _mapping(data) -> services.CdrMapping:
    return services.CdrMapping(caller=data["caller"], receiver=data["receiver"],
                               start=data["start"], duration=data["duration"])


@page_view
@require_http_methods(["GET", "POST"])
def cdr_page(request, case_id):
    user = request.user
    case, form = _upload_form(request, case_id, CdrForm)
    context = {"case": case, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result, token = services.preview_cdr_upload(user, case, form.cleaned_data["file"].read(),
                                                        _mapping(form.cleaned_data))
            request.session[SESSION_CDR] = {"case": case.pk, "token": token,
                                            "mapping": vars(_mapping(form.cleaned_data)),
                                            "source": form.cleaned_data["source"]}
            return render(request, "networks/cdr.html", {
                **context, "result": result, "shown": result.rows[:50],
                "rejected": len({e["row"] for e in result.errors})})
        except ValidationError as error:
            apply_service_errors(form, error)
    response = render(request, "networks/cdr.html", context)
    if request.method == "POST":
        response.status_code = 422
    return response


@page_view
@require_http_methods(["POST"])
def cdr_import(request, case_id):
    user = request.user
    case = queries.network_case(user, case_id, change=True)
    previewed = request.session.get(SESSION_CDR) or {}
    if previewed.get("case") != case.pk:
        messages.error(request, _("Preview the file first."))
        return redirect("network-cdr", case.pk)
    try:
        result = services.import_cdr_previewed(
            user, case, previewed["token"], services.CdrMapping(**previewed["mapping"]),
            source=previewed["source"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("network-cdr", case.pk)
    request.session.pop(SESSION_CDR, None)
    messages.success(request, _("Imported: %(calls)s; %(new)s.") % {
        "calls": ngettext("%(n)d call", "%(n)d calls", result.calls) % {"n": result.calls},
        "new": ngettext("%(n)d new number", "%(n)d new numbers", result.new_entities) % {
            "n": result.new_entities}})
    return redirect("network-case", case.pk)

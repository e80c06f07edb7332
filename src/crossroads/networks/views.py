"""Pages of networks: a case's network (picture and summary table), an entity, the corridors
of the victims' routes, and the imports of an FtM file and of CSV files (call records, bank
statements) through a column mapping. Each parses its form, calls a query or service and
renders; the picture's data goes in a json_script block
(no inline script: the Content-Security-Policy allows the node's own files only)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from crossroads import countries
from crossroads.pages import apply_service_errors, page_view

from . import queries, services
from .choices import LINK_ENDS, SelectorKind
from .forms import BankForm, CdrForm, FtmFileForm, NetworkFilterForm


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


def _cdr_done(result) -> str:
    return _("Imported: %(calls)s; %(new)s.") % {
        "calls": ngettext("%(n)d call", "%(n)d calls", result.links) % {"n": result.links},
        "new": ngettext("%(n)d new number", "%(n)d new numbers", result.new_entities) % {
            "n": result.new_entities}}


def _bank_done(result) -> str:
    return _("Imported: %(payments)s; %(new)s; %(held)s.") % {
        "payments": ngettext("%(n)d payment", "%(n)d payments", result.links) % {
            "n": result.links},
        "new": ngettext("%(n)d new account or holder", "%(n)d new accounts or holders",
                        result.new_entities) % {"n": result.new_entities},
        "held": ngettext("%(n)d row the case held already", "%(n)d rows the case held already",
                         result.skipped) % {"n": result.skipped}}


@dataclass(frozen=True)
class CsvImport:
    """A kind of CSV mapping as its pages show it: the form, the preview's columns (field,
    label, numeric), the page's routes and what the import says when done."""

    kind: services.CsvKind
    form: type
    shown: tuple
    page: str
    done: Callable


CSV_IMPORTS = {
    "cdr": CsvImport(services.CALL_RECORDS, CdrForm, (
        ("caller", _lazy("Caller"), False), ("receiver", _lazy("Receiver"), False),
        ("start", _lazy("Start"), False), ("duration", _lazy("Seconds"), True)),
        "network-cdr", _cdr_done),
    "bank": CsvImport(services.BANK_STATEMENTS, BankForm, (
        ("date", _lazy("Date"), False), ("amount", _lazy("Amount"), True),
        ("currency", _lazy("Currency"), False), ("account", _lazy("Account"), False),
        ("holder", _lazy("Holder"), False), ("counterparty", _lazy("Counterparty"), False),
        ("counterparty_iban", _lazy("Counterparty's account"), False),
        ("purpose", _lazy("Purpose"), False)),
        "network-bank", _bank_done),
}


def _session_key(slug: str) -> str:
    return f"networks-{slug}-preview"


@page_view
@require_http_methods(["GET", "POST"])
def csv_page(request, case_id, slug):
    """A CSV of a kind of `CSV_IMPORTS` (the route names the kind): a preview of the file as
    it will be read, every rejected row by row and column; the file sealed for the import."""
    user, spec = request.user, CSV_IMPORTS[slug]
    case, form = _upload_form(request, case_id, spec.form)
    context = {"case": case, "form": form, "kind": slug, "import_url": spec.page + "-import",
               "columns": [(label, num) for _name, label, num in spec.shown],
               "kinds": [(s, CSV_IMPORTS[s].page) for s in CSV_IMPORTS]}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mapping = {column.name: data[column.name] for column in spec.kind.columns}
        try:
            result, token = services.preview_upload(spec.kind, user, case, data["file"].read(),
                                                    mapping)
            request.session[_session_key(slug)] = {"case": case.pk, "token": token,
                                                   "mapping": result.mapping,
                                                   "source": data["source"]}
            labels = {column.name: column.label for column in spec.kind.columns}
            return render(request, "networks/csv_import.html", {
                **context, "result": result, "rejected": result.rejected,
                "read": [(labels[name], column) for name, column in result.mapping.items()
                         if column],
                "shown": [(row["row"], [(row[name], num) for name, _label, num in spec.shown])
                          for row in result.rows[:50]]})
        except ValidationError as error:
            apply_service_errors(form, error)
    response = render(request, "networks/csv_import.html", context)
    if request.method == "POST":
        response.status_code = 422
    return response


@page_view
@require_http_methods(["POST"])
def csv_import(request, case_id, slug):
    """The previewed file (sealed under the session's token) imported, once."""
    user, spec = request.user, CSV_IMPORTS[slug]
    case = queries.network_case(user, case_id, change=True)
    previewed = request.session.get(_session_key(slug)) or {}
    if previewed.get("case") != case.pk:
        messages.error(request, _("Preview the file first."))
        return redirect(spec.page, case.pk)
    try:
        result = services.import_previewed(spec.kind, user, case, previewed["token"],
                                           previewed["mapping"], source=previewed["source"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(spec.page, case.pk)
    request.session.pop(_session_key(slug), None)
    messages.success(request, spec.done(result))
    return redirect("network-case", case.pk)

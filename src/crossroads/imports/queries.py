"""Reads of imports for every surface, through the policy."""

import csv
import io

from crossroads.access.policy import VIEW, get_visible_or_404, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.text import SafeCsvWriter

from . import mapping as mappings
from . import rows, sealed
from .models import CaseImport
from .services import compare

PREVIEW_ROWS = 20

REPORT_COLUMNS = ("line", "column", "field", "outcome", "message")


def imports_for(user):
    """The imports the user may see, newest first."""
    return restrict(CaseImport.objects.select_related("job", "requested_by"), user, VIEW)


def import_for(user, import_id: int) -> CaseImport:
    """The import, or 404 to whoever may not see it."""
    return get_visible_or_404(CaseImport.objects.select_related("job", "requested_by", "lead",
                                                                "agency"), user,
                              pk=import_id)


def preview(user, found: CaseImport, limit: int = PREVIEW_ROWS) -> list[rows.Checked]:
    """The first `limit` rows of a prepared import as it would take them (checked as the
    account the rows are registered as), with their errors (names from the uploaded file: the
    read is audited). A coordinator's import for another agency shows no value of the file:
    its template shows line, outcome and errors only, and the errors quote no value."""
    mapping = mappings.from_json(found.mapping)
    checked, shown = [], not found.for_another_agency
    with sealed.rows(found.path, mapping.delimiter) as source:
        for line, row in source.items:
            item = rows.check(found.acting, mapping, line, row)
            checked.append(item if shown else rows.without_values(item, mapping, row))
            if len(checked) == limit:
                break
    compare(found, mapping, checked)
    record(user, Action.READ_IDENTITY, found, purpose="import preview",
           details={"rows": len(checked), "values_shown": shown})
    if not shown:
        for item in checked:
            item.inputs, item.source_id = None, ""
    return checked


def error_report(user, found: CaseImport) -> str:
    """The import's rejected and changed rows as CSV, one line per error (line, column, field,
    outcome, message); every cell spreadsheet-safe (a source's =cmd() stays text)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for problem in found.problem_list:
        writer.writerow([problem.get(name, "") for name in REPORT_COLUMNS])
    record(user, Action.EXPORT, found, purpose="import error report",
           details={"errors": len(found.problem_list)})
    return out.getvalue()

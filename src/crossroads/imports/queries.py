"""Reads of imports for every surface, through the policy."""

import csv
import io

from crossroads.access.policy import VIEW, get_visible_or_404, restrict
from crossroads.text import SafeCsvWriter

from .models import CaseImport

REPORT_COLUMNS = ("line", "column", "field", "outcome", "message")


def imports_for(user):
    """The imports the user may see, newest first."""
    return restrict(CaseImport.objects.select_related("job", "requested_by"), user, VIEW)


def import_for(user, import_id: int) -> CaseImport:
    """The import, or 404 to whoever may not see it."""
    return get_visible_or_404(CaseImport.objects.select_related("job", "requested_by"), user,
                              pk=import_id)


def error_report(found: CaseImport) -> str:
    """The import's rejected and changed rows as CSV, one line per error (line, column, field,
    outcome, message); every cell spreadsheet-safe (a source's =cmd() stays text)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for problem in found.problem_list:
        writer.writerow([problem.get(name, "") for name in REPORT_COLUMNS])
    return out.getvalue()

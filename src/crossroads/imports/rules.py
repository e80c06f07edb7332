"""Access rules of imports.

An import brings an agency's existing register into the node: it registers victims, so it is
for the roles that register them (case workers, investigators, prosecutors), and its cases
become the agency's. A national coordinator may import another agency's register of their
jurisdiction for an account of that agency who then leads the cases (the rows are registered
as that account: its agency, its policy); the coordinator never sees an identity value of the
file (the preview and the error report name line and field only). An import is seen by the
users of its agency who may import and by the coordinator who asked for it; a source record
(source id → case) by whoever may see its case."""

from django.db.models import Q

from crossroads.access.actions import NOTHING, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind
from crossroads.registry.rules import CASE_EDITORS, role_case_q

IMPORT_CASES = capability("import_cases", CASE_EDITORS,
                          "case workers, investigators, prosecutors: import an existing register "
                          "into their agency's cases")
IMPORT_FOR_AGENCY = capability(
    "import_for_agency", {Role.COORDINATOR},
    "national coordinators: import another agency's register of their jurisdiction, for an "
    "account of that agency who leads the cases (no identity value shown to them)")
kind("case_import", noun="case import", watchers=IMPORT_CASES)


@rule("imports.caseimport",
      view="importers of the agency the import is for; the coordinator who asked for it")
def case_import_rule(user, action):
    if action != VIEW:
        return NOTHING
    if user.role in CASE_EDITORS:
        return Q(jurisdiction_id=user.jurisdiction_id, agency_id=user.agency_id)
    if user.role == Role.COORDINATOR:
        return Q(jurisdiction_id=user.jurisdiction_id, requested_by_id=user.pk)
    return NOTHING


@rule("imports.sourcerecord", view="whoever may see the case the row became")
def source_record_rule(user, action):
    if action != VIEW:
        return NOTHING
    return role_case_q(user, VIEW, "case__")

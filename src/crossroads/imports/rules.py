"""Access rules of imports.

An import brings an agency's existing register into the node: it registers victims, so it is
for the roles that register them (case workers, investigators, prosecutors), and its cases
become the agency's. An import is seen by the users of its agency who may import; a source
record (source id → case) by whoever may see its case."""

from django.db.models import Q

from crossroads.access.actions import NOTHING, VIEW
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind
from crossroads.registry.rules import CASE_EDITORS, role_case_q

IMPORT_CASES = capability("import_cases", CASE_EDITORS,
                          "case workers, investigators, prosecutors: import an existing register "
                          "into their agency's cases")
kind("case_import", noun="case import", watchers=IMPORT_CASES)


@rule("imports.caseimport", view="importers of the agency that ran the import")
def case_import_rule(user, action):
    if user.role in CASE_EDITORS and action == VIEW:
        return Q(jurisdiction_id=user.jurisdiction_id, agency_id=user.agency_id)
    return NOTHING


@rule("imports.sourcerecord", view="whoever may see the case the row became")
def source_record_rule(user, action):
    if action != VIEW:
        return NOTHING
    return role_case_q(user, VIEW, "case__")

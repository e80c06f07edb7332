"""Access rules of duplicate detection: a pair is shown only to who may see both persons."""

from django.db.models import Q

from crossroads.access.actions import NOTHING, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind
from crossroads.registry.rules import CASE_EDITORS, IDENTITY_READERS, restricted_persons

# Confirm or reject possible duplicates (only pairs whose two persons the user may see).
REVIEW_DUPLICATES = capability(
    "review_duplicates", CASE_EDITORS, "case workers, investigators, prosecutors: decide on pairs"
)
# Start the whole-node deduplication (it stores candidates; it shows no identity).
RERUN_DEDUPE = capability(
    "rerun_dedupe",
    {Role.COORDINATOR, Role.INVESTIGATOR},
    "coordinators, investigators: re-run the whole-node deduplication",
)
# Its background job (linkage.tasks.dedupe): watched by who may start it, in its jurisdiction.
kind("dedupe", noun="deduplication run", watchers=RERUN_DEDUPE)


def _pair_rule(prefix_a: str, prefix_b: str):
    def pair_rule(user, action):
        # Identity readers see a pair when they may see both persons; reviewers decide on it
        # when they may change both.
        allowed = IDENTITY_READERS if action == VIEW else CASE_EDITORS
        if user.role not in allowed:
            return NOTHING
        persons = restricted_persons(user, action)
        return Q(**{f"{prefix_a}__in": persons}) & Q(**{f"{prefix_b}__in": persons})

    return pair_rule


_PAIR_WHO = {
    "view": "identity readers who may see both persons",
    "change": "case workers, investigators, prosecutors who may change both persons",
}
rule("linkage.matchcandidate", **_PAIR_WHO)(_pair_rule("person_a", "person_b"))
rule("linkage.personmerge", **_PAIR_WHO)(_pair_rule("survivor", "merged"))


@rule("linkage.deduperun", view="coordinators, investigators: runs of their jurisdiction")
def dedupe_run_rule(user, action):
    if action == VIEW and user.role in {Role.COORDINATOR, Role.INVESTIGATOR}:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING

"""Access rules of field capture: case workers and investigators capture in the field; each sees
and decides on the submissions they sent (the content opens only on the node)."""

from django.db.models import Q

from crossroads.access.actions import NOTHING
from crossroads.access.rulebook import capability, rule

from .choices import FIELD_ROLES

FIELD_CAPTURE = capability("field_capture", FIELD_ROLES,
                           "case workers and investigators: the offline field app and its sync")


@rule("field.submission", view="field workers: the submissions they sent",
      change="field workers: the submissions they sent")
def submission_rule(user, action):
    if user.role not in FIELD_ROLES:
        return NOTHING
    return Q(submitted_by_id=user.pk, jurisdiction_id=user.jurisdiction_id)

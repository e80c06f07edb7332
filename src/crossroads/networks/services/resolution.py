"""A judgement on a candidate pair of entities (same / different / unsure), kept per pair and
replaced by a later judgement of the same pair; audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record

from ..choices import Verdict
from ..models import Entity, Judgement
from ..rules import WORK_NETWORKS


def judge(actor, first: Entity, second: Entity, verdict: str) -> Judgement:
    require_capability(actor, WORK_NETWORKS)
    for entity in (first, second):
        require(actor, CHANGE, entity)
    errors = {}
    if first.pk == second.pk:
        errors["right"] = _("Judge two different entities.")
    if verdict not in Verdict.values:
        errors["verdict"] = _("Use one of: %(values)s.") % {"values": ", ".join(Verdict.values)}
    if errors:
        raise ValidationError(errors)
    left, right = sorted((first, second), key=lambda e: e.pk)
    with transaction.atomic():
        judgement, _created = Judgement.objects.update_or_create(
            left=left, right=right, defaults={"verdict": verdict, "decided_by": actor})
        record(actor, Action.UPDATE, judgement, details={"left": left.pk, "right": right.pk,
                                                         "verdict": verdict})
    return judgement

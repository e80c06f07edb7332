"""The consultation: the staff of the jurisdiction's agencies comment on assessments while the
cycle's window is open; a coordinator answers each comment and says whether it was taken up."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE, VIEW
from crossroads.access.policy import PolicyDenied, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.validation import collect

from ..choices import CycleStatus, Uptake
from ..models import Assessment, Comment, ReviewCycle
from ..rules import COMMENT, MANAGE_REVIEWS

TEXT_MAX = 4000


def _text(errors, name: str, text: str) -> str:
    text = (text or "").strip()
    if not text:
        errors.add({name: _("Write something.")})
    elif len(text) > TEXT_MAX:
        errors.add({name: _("At most %(max)s characters.") % {"max": TEXT_MAX}})
    return text


def write_comment(actor, assessment: Assessment, text: str) -> Comment:
    require_capability(actor, COMMENT)
    require(actor, VIEW, assessment)
    assessment.cycle = ReviewCycle.objects.get(pk=assessment.cycle_id)  # its state now
    if assessment.cycle.jurisdiction_id != actor.jurisdiction_id:
        raise PolicyDenied("comments come from the cycle's own jurisdiction")
    with collect() as errors:
        if not assessment.cycle.open_for_comments():
            errors.add({"text": _("The cycle is not open for comments.")})
        text = _text(errors, "text", text)
    with transaction.atomic():
        comment = Comment.objects.create(assessment=assessment, author=actor,
                                         agency_id=actor.agency_id, text=text)
        record(actor, Action.CREATE, comment, details={"assessment": assessment.pk})
    return comment


def answer_comment(actor, comment: Comment, answer: str, uptake: str) -> Comment:
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, comment)
    with collect() as errors:
        if comment.assessment.cycle.status == CycleStatus.CLOSED:
            errors.add({"answer": _("The cycle is closed.")})
        answer = _text(errors, "answer", answer)
        if uptake not in Uptake.values:
            errors.add({"uptake": _("Say whether the comment was taken up.")})
    with transaction.atomic():
        comment.answer, comment.uptake = answer, uptake
        comment.answered_by, comment.answered_at = actor, timezone.now()
        comment.save()
        record(actor, Action.UPDATE, comment, details={"uptake": uptake})
    return comment

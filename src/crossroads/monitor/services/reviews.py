"""Review cycles of a jurisdiction: a cycle starts from the previous one (its assessments and
the recommendations still open are carried over), the coordinators assess, open the cycle for
comments, and close it; a closed cycle is published and never changes again."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE
from crossroads.access.policy import require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.validation import collect

from ..choices import OPEN_IMPLEMENTATION, Confidence, CycleStatus, Status
from ..models import Assessment, Comment, FollowUp, Obligation, ReviewCycle
from ..rules import MANAGE_REVIEWS

COPIED = ("status", "law", "law_article", "in_force_on", "evidence", "confidence", "assessor_id",
          "assessed_at")


@dataclass
class AssessmentInput:
    status: str
    law: str = ""
    law_article: str = ""
    in_force_on: datetime.date | None = None
    evidence: str = ""
    confidence: str = Confidence.LOW


def _writable(cycle: ReviewCycle) -> None:
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError({"cycle": _("The cycle is closed: its content is published and "
                                          "does not change.")})


def open_cycle(actor, *, year: int, title: str, comments_until=None,
               start_from_previous: bool = True) -> ReviewCycle:
    """A new cycle of the coordinator's jurisdiction; from the latest earlier cycle unless told
    otherwise: every assessment is copied (and can then be changed), and every recommendation
    still open is followed up in the new cycle with its last status."""
    require_capability(actor, MANAGE_REVIEWS)
    jurisdiction = actor.jurisdiction_id
    with collect() as errors:
        title = (title or "").strip()
        if not title:
            errors.add({"title": _("Give the cycle a title.")})
        elif len(title) > 200:
            errors.add({"title": _("At most %(max)s characters.") % {"max": 200}})
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            errors.add({"year": _("A year from 2000 to 2100.")})
        elif ReviewCycle.objects.filter(jurisdiction_id=jurisdiction, year=year).exists():
            errors.add({"year": _("This jurisdiction already has a cycle for %(year)s.") % {
                "year": year}})
        if comments_until is not None and comments_until < timezone.localdate():
            errors.add({"comments_until": _("The window cannot end in the past.")})
    previous = None
    if start_from_previous:
        previous = ReviewCycle.objects.filter(jurisdiction_id=jurisdiction,
                                              year__lt=year).order_by("-year").first()
    try:
        with transaction.atomic():
            cycle = ReviewCycle.objects.create(jurisdiction_id=jurisdiction, year=year,
                                               title=title, previous=previous,
                                               comments_until=comments_until, opened_by=actor)
            earlier = {a.obligation_id: a for a in previous.assessments.all()} if previous else {}
            Assessment.objects.bulk_create([
                Assessment(cycle=cycle, obligation=obligation,
                           **({name: getattr(earlier[obligation.pk], name) for name in COPIED}
                              if obligation.pk in earlier else {}))
                for obligation in Obligation.objects.order_by("id")])
            if previous is not None:
                FollowUp.objects.bulk_create([
                    FollowUp(recommendation_id=f.recommendation_id, cycle=cycle, status=f.status,
                             note=f.note, updated_by=actor)
                    for f in previous.follow_ups.filter(status__in=OPEN_IMPLEMENTATION)])
            record(actor, Action.CREATE, cycle, details={
                "year": year, "previous": previous.pk if previous else None})
    except IntegrityError:
        raise ValidationError({"year": _("This jurisdiction already has a cycle for %(year)s.")
                               % {"year": year}}) from None
    return cycle


def assess(actor, assessment: Assessment, data: AssessmentInput) -> Assessment:
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, assessment)
    with collect() as errors:
        assessment.cycle = ReviewCycle.objects.get(pk=assessment.cycle_id)  # its state now
        _writable(assessment.cycle)
        if data.status not in Status.values:
            errors.add({"status": _("Choose one of: %(values)s.") % {
                "values": ", ".join(Status.values)}})
        if data.confidence not in Confidence.values:
            errors.add({"confidence": _("Choose one of: %(values)s.") % {
                "values": ", ".join(Confidence.values)}})
        if data.status in {Status.ALIGNED, Status.PARTLY} and not (data.law or "").strip():
            errors.add({"law": _("Name the national law that gives effect to the obligation.")})
        for name, limit in (("law", 300), ("law_article", 60)):
            if len(getattr(data, name) or "") > limit:
                errors.add({name: _("At most %(max)s characters.") % {"max": limit}})
        if data.in_force_on and data.in_force_on > timezone.localdate() + datetime.timedelta(days=3650):
            errors.add({"in_force_on": _("A date within the next ten years.")})
    with transaction.atomic():
        for name in ("status", "law", "law_article", "in_force_on", "evidence", "confidence"):
            value = getattr(data, name)
            setattr(assessment, name, value.strip() if isinstance(value, str) else value)
        assessment.assessor, assessment.assessed_at = actor, timezone.now()
        assessment.save()
        record(actor, Action.UPDATE, assessment, details={
            "status": assessment.status, "confidence": assessment.confidence})
    return assessment


def open_consultation(actor, cycle: ReviewCycle, until: datetime.date) -> ReviewCycle:
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, cycle)
    with collect() as errors:
        if cycle.status != CycleStatus.DRAFT:
            errors.add({"status": _("Only a draft cycle can be opened for comments.")})
        if until is None or until < timezone.localdate():
            errors.add({"comments_until": _("The window must end today or later.")})
    with transaction.atomic():
        cycle.status, cycle.comments_until = CycleStatus.CONSULTATION, until
        cycle.save(update_fields=["status", "comments_until"])
        record(actor, Action.UPDATE, cycle, details={"status": cycle.status,
                                                     "comments_until": str(until)})
    return cycle


def close_cycle(actor, cycle: ReviewCycle) -> ReviewCycle:
    """Close (and so publish) the cycle; comments still unanswered are refused."""
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, cycle)
    with collect() as errors:
        _writable(cycle)
        unanswered = Comment.objects.filter(assessment__cycle=cycle,
                                            answered_at__isnull=True).count()
        if unanswered:
            errors.add({"status": _("%(count)s comment(s) still wait for an answer.") % {
                "count": unanswered}})
    with transaction.atomic():
        cycle.status, cycle.closed_by, cycle.closed_at = CycleStatus.CLOSED, actor, timezone.now()
        cycle.save(update_fields=["status", "closed_by", "closed_at"])
        record(actor, Action.UPDATE, cycle, details={"status": cycle.status})
    return cycle

"""Recommendations (GRETA-style): issued in a cycle to an addressee with a deadline, and
followed up in every later cycle with an implementation status."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE
from crossroads.access.policy import require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.validation import collect

from ..choices import CycleStatus, Implementation
from ..models import FollowUp, Obligation, Recommendation, ReviewCycle
from ..rules import MANAGE_REVIEWS


@dataclass
class RecommendationInput:
    text: str
    addressee: str
    deadline: datetime.date | None = None
    obligation: str = ""   # the catalogue key, optional


def recommend(actor, cycle: ReviewCycle, data: RecommendationInput) -> Recommendation:
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, cycle)
    obligation = None
    with collect() as errors:
        if cycle.status == CycleStatus.CLOSED:
            errors.add({"cycle": _("The cycle is closed.")})
        if not (data.text or "").strip():
            errors.add({"text": _("Write the recommendation.")})
        if not (data.addressee or "").strip():
            errors.add({"addressee": _("Name whom it is addressed to.")})
        elif len(data.addressee) > 200:
            errors.add({"addressee": _("At most %(max)s characters.") % {"max": 200}})
        if data.obligation:
            obligation = Obligation.objects.filter(key=data.obligation).first()
            if obligation is None:
                errors.add({"obligation": _("No obligation of the catalogue has this "
                                            "identifier.")})
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            jurisdiction_id=cycle.jurisdiction_id, issued_in=cycle, obligation=obligation,
            text=data.text.strip(), addressee=data.addressee.strip(), deadline=data.deadline,
            created_by=actor)
        FollowUp.objects.create(recommendation=recommendation, cycle=cycle, updated_by=actor)
        record(actor, Action.CREATE, recommendation, details={"cycle": cycle.pk})
    return recommendation


def follow_up(actor, recommendation: Recommendation, cycle: ReviewCycle, status: str,
              note: str = "") -> FollowUp:
    """The recommendation's status as seen in `cycle` (open, of its jurisdiction)."""
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, recommendation)
    require(actor, CHANGE, cycle)
    with collect() as errors:
        if cycle.status == CycleStatus.CLOSED:
            errors.add({"cycle": _("The cycle is closed.")})
        if cycle.jurisdiction_id != recommendation.jurisdiction_id or \
                cycle.year < recommendation.issued_in.year:
            errors.add({"cycle": _("Follow a recommendation up in a later cycle of its "
                                   "jurisdiction.")})
        if status not in Implementation.values:
            errors.add({"status": _("Choose one of: %(values)s.") % {
                "values": ", ".join(Implementation.values)}})
    with transaction.atomic():
        item, _created = FollowUp.objects.update_or_create(
            recommendation=recommendation, cycle=cycle,
            defaults={"status": status, "note": (note or "").strip(), "updated_by": actor,
                      "updated_at": timezone.now()})
        record(actor, Action.UPDATE, item, details={"status": status})
    return item

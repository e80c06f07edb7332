"""Training sessions of officials, with their participants counted by agency kind, profession
and sex (no names): the yearly counts the annual report gives ("384 officials, including 179
women")."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.choices import AgencyKind
from crossroads.access.policy import require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.choices import Sex
from crossroads.validation import collect

from ..choices import Profession, TrainingTopic
from ..models import Attendance, TrainingSession
from ..rules import MANAGE_REVIEWS

MAX_COUNT = 10_000


@dataclass
class Group:
    agency_kind: str
    profession: str
    sex: str
    count: int


@dataclass
class TrainingInput:
    title: str
    topic: str
    organiser: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    groups: list[Group] = field(default_factory=list)


def record_training(actor, data: TrainingInput) -> TrainingSession:
    """A coordinator records a session of their jurisdiction with its participants' counts."""
    require_capability(actor, MANAGE_REVIEWS)
    with collect() as errors:
        if not (data.title or "").strip():
            errors.add({"title": _("Give the session a title.")})
        if data.topic not in TrainingTopic.values:
            errors.add({"topic": _("Choose one of: %(values)s.") % {
                "values": ", ".join(TrainingTopic.values)}})
        if not (data.organiser or "").strip():
            errors.add({"organiser": _("Name the organiser (for example OSCE or UNODC).")})
        if data.starts_on is None:
            errors.add({"starts_on": _("Give the first day.")})
        if data.ends_on is None:
            errors.add({"ends_on": _("Give the last day.")})
        elif data.starts_on and data.ends_on < data.starts_on:
            errors.add({"ends_on": _("The last day comes before the first.")})
        seen = set()
        for index, group in enumerate(data.groups):
            where = f"groups.{index}"
            if group.agency_kind not in AgencyKind.values or group.profession not in \
                    Profession.values or group.sex not in Sex.values:
                errors.add({where: _("Choose the agency, the profession and the sex.")})
            elif (group.agency_kind, group.profession, group.sex) in seen:
                errors.add({where: _("This group is given twice.")})
            seen.add((group.agency_kind, group.profession, group.sex))
            if not isinstance(group.count, int) or not 0 < group.count <= MAX_COUNT:
                errors.add({f"{where}.count": _("A number of participants from 1 to %(max)s.")
                            % {"max": MAX_COUNT}})
        if not data.groups:
            errors.add({"groups": _("Give at least one group of participants.")})
    with transaction.atomic():
        session = TrainingSession.objects.create(
            jurisdiction_id=actor.jurisdiction_id, title=data.title.strip(), topic=data.topic,
            organiser=data.organiser.strip(), starts_on=data.starts_on, ends_on=data.ends_on,
            created_by=actor)
        Attendance.objects.bulk_create([
            Attendance(session=session, agency_kind=g.agency_kind, profession=g.profession,
                       sex=g.sex, count=g.count) for g in data.groups])
        record(actor, Action.CREATE, session, details={
            "participants": sum(g.count for g in data.groups)})
    return session

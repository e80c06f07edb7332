"""Reads of the monitor for every surface, through the policy: the catalogue and its history,
a jurisdiction's cycles with their assessments, the differences from the previous cycle, the
consultation with its counts, and the recommendations' follow-up."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from crossroads.access.actions import VIEW
from crossroads.access.policy import get_visible_or_404, require_capability, restrict

from .choices import CycleStatus, Status, Uptake, Verification
from .models import (
    Assessment,
    Comment,
    FollowUp,
    Obligation,
    ObligationRevision,
    Recommendation,
    ReviewCycle,
)
from .rules import READ_CATALOGUE, READ_REVIEWS

COMPARED = ("status", "law", "law_article", "in_force_on", "confidence")


def obligations(user, *, instrument: str = "", pillar: str = "", verification: str = ""):
    require_capability(user, READ_CATALOGUE)
    found = restrict(Obligation.objects.select_related("verified_by"), user, VIEW)
    if instrument:
        found = found.filter(instrument__icontains=instrument)
    if pillar:
        found = found.filter(pillar=pillar)
    if verification:
        found = found.filter(verification=verification)
    return found.order_by("instrument", "id")


def obligation(user, key: str) -> Obligation:
    require_capability(user, READ_CATALOGUE)
    return get_visible_or_404(Obligation.objects, user, key=key)


@dataclass
class WithHistory:
    entry: Obligation
    revisions: list

    def __getattr__(self, name):  # the entry's own fields, for the schemas and templates
        return getattr(self.entry, name)


def obligation_with_history(user, key: str) -> WithHistory:
    item = obligation(user, key)
    return WithHistory(item, list(revisions(user, item)))


def revisions(user, item: Obligation):
    return restrict(ObligationRevision.objects.select_related("changed_by"), user, VIEW).filter(
        obligation=item)


def verification_counts(queryset=None) -> dict[str, int]:
    """Entries per verification status (every status named, 0 where none)."""
    counts = dict((queryset if queryset is not None else Obligation.objects.all())
                  .values_list("verification").annotate(n=Count("id")).order_by())
    return {value: counts.get(value, 0) for value in Verification.values}


def cycles(user, jurisdiction: str = ""):
    require_capability(user, READ_REVIEWS)
    found = restrict(ReviewCycle.objects.select_related("previous"), user, VIEW)
    if jurisdiction:
        found = found.filter(jurisdiction_id=jurisdiction)
    return found


def cycle(user, cycle_id: int) -> ReviewCycle:
    require_capability(user, READ_REVIEWS)
    return get_visible_or_404(ReviewCycle.objects.select_related("previous"), user, pk=cycle_id)


def assessment(user, assessment_id: int) -> Assessment:
    require_capability(user, READ_REVIEWS)
    return get_visible_or_404(Assessment.objects.select_related("cycle", "obligation"), user,
                              pk=assessment_id)


def comment(user, comment_id: int) -> Comment:
    return get_visible_or_404(Comment.objects.select_related("assessment__cycle"), user,
                              pk=comment_id)


def assessments(cycle: ReviewCycle):
    """The cycle's assessments (the caller has the cycle through the policy)."""
    return cycle.assessments.select_related("obligation", "assessor").order_by(
        "obligation__instrument", "obligation_id")


@dataclass
class Difference:
    obligation: Obligation
    before: dict
    after: dict
    changed: list[str] = field(default_factory=list)

    @property
    def status_before(self) -> str:
        return Status(self.before["status"]).label if self.before else "—"

    @property
    def status_after(self) -> str:
        return Status(self.after["status"]).label


def differences(cycle: ReviewCycle) -> list[Difference]:
    """What changed from the previous cycle: per obligation, the compared fields that differ."""
    if cycle.previous_id is None:
        return []
    earlier = {a.obligation_id: a for a in cycle.previous.assessments.all()}
    found = []
    for item in assessments(cycle):
        before = earlier.get(item.obligation_id)
        old = {name: getattr(before, name) for name in COMPARED} if before else {}
        new = {name: getattr(item, name) for name in COMPARED}
        changed = [name for name in COMPARED if old.get(name) != new[name]]
        if changed:
            found.append(Difference(item.obligation, old, new, changed))
    return found


def status_counts(cycle: ReviewCycle) -> dict[str, int]:
    return dict(cycle.assessments.values_list("status").annotate(n=Count("id")).order_by())


def comments(user, cycle: ReviewCycle):
    """The cycle's comments the user may see (coordinators: all; others: their own)."""
    return restrict(Comment.objects.select_related("assessment__obligation", "agency", "author",
                                                   "answered_by"), user, VIEW).filter(
        assessment__cycle=cycle)


def published_comments(cycle: ReviewCycle):
    """A closed cycle's comments as the report publishes them (agency, not author)."""
    if cycle.status != CycleStatus.CLOSED:
        return Comment.objects.none()
    return Comment.objects.select_related("assessment__obligation", "agency").filter(
        assessment__cycle=cycle)


@dataclass
class ConsultationCounts:
    comments: int
    agencies: int
    by_kind: dict
    answered: int
    uptake: dict

    @property
    def taken_up_share(self) -> float | None:
        if not self.answered:
            return None
        return (self.uptake.get(Uptake.TAKEN_UP, 0) + 0.5 * self.uptake.get(Uptake.PARTLY, 0)) \
            / self.answered


def consultation_counts(items) -> ConsultationCounts:
    items = list(items)
    agencies = {c.agency_id: c.agency for c in items}
    return ConsultationCounts(
        comments=len(items), agencies=len(agencies),
        by_kind=dict(Counter(a.get_kind_display() for a in agencies.values())),
        answered=sum(1 for c in items if c.answered_at),
        uptake={value: sum(1 for c in items if c.uptake == value) for value in Uptake.values})


def follow_ups(cycle: ReviewCycle):
    """The recommendations followed up in the cycle, with their whole history."""
    return FollowUp.objects.select_related("recommendation__issued_in",
                                           "recommendation__obligation").filter(
        cycle=cycle).prefetch_related("recommendation__follow_ups__cycle")


def recommendations(user, cycle: ReviewCycle):
    return restrict(Recommendation.objects, user, VIEW).filter(follow_ups__cycle=cycle)


@dataclass
class TrainingYear:
    year: int
    sessions: list
    participants: int
    women: int
    by_topic: list      # (label, sessions, participants)
    by_profession: list  # (label, participants, women)
    by_agency: list      # (label, participants, women)


def _grouped(rows, key, labels) -> list:
    totals = {}
    for row in rows:
        entry = totals.setdefault(row[key], [0, 0])
        entry[0] += row["count"]
        entry[1] += row["count"] if row["sex"] == "F" else 0
    return [(str(labels.get(k, k)), n, w) for k, (n, w) in sorted(totals.items())]


def training_year(jurisdiction: str, year: int, user=None) -> TrainingYear:
    """The year's sessions (by first day) and participants: for a user through the policy; the
    operator's public report (user None) reads the jurisdiction's counts, which hold no names."""
    from crossroads.access.choices import AgencyKind

    from .choices import Profession, TrainingTopic
    from .models import Attendance, TrainingSession

    sessions = (restrict(TrainingSession.objects.all(), user, VIEW) if user is not None
                else TrainingSession.objects.all()).filter(jurisdiction_id=jurisdiction,
                                                           starts_on__year=year)
    sessions = list(sessions.order_by("starts_on", "id"))
    rows = list(Attendance.objects.filter(session__in=sessions).values(
        "session__topic", "session_id", "agency_kind", "profession", "sex", "count"))
    topics = {}
    for session in sessions:
        topics.setdefault(session.topic, [0, 0])[0] += 1
    for row in rows:
        topics[row["session__topic"]][1] += row["count"]
    labels = dict(TrainingTopic.choices)
    return TrainingYear(
        year, sessions, sum(r["count"] for r in rows),
        sum(r["count"] for r in rows if r["sex"] == "F"),
        [(str(labels[t]), s, n) for t, (s, n) in sorted(topics.items())],
        _grouped(rows, "profession", dict(Profession.choices)),
        _grouped(rows, "agency_kind", dict(AgencyKind.choices)))

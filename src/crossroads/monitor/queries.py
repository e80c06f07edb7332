"""Reads of the monitor for every surface, through the policy: the catalogue and its history,
a jurisdiction's cycles with their assessments, the differences from the previous cycle, the
consultation with its counts, and the recommendations' follow-up."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone

from crossroads.access.actions import VIEW
from crossroads.access.policy import get_visible_or_404, require_capability, restrict

from .choices import AgreementStatus, CycleStatus, Status, Uptake, Verification
from .models import (
    Agreement,
    Assessment,
    Comment,
    FollowUp,
    FundingLine,
    Obligation,
    ObligationRevision,
    Recommendation,
    ReviewCycle,
)
from .rules import READ_AGREEMENTS, READ_CATALOGUE, READ_FUNDING, READ_REVIEWS

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


# ---- agreements register -------------------------------------------------------------------

def agreements(user, *, status: str = "", kind: str = "", scope: str = "", party: str = "",
               text: str = ""):
    require_capability(user, READ_AGREEMENTS)
    found = restrict(Agreement.objects.all(), user, VIEW).prefetch_related("parties",
                                                                           "documents")
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    if scope:  # JSON containment is not on SQLite: the scope codes are plain words
        found = found.filter(scope__icontains=f'"{scope}"')
    if party:
        found = found.between(party.upper())
    if text:
        found = found.filter(title__icontains=text)
    return found


def agreement(user, agreement_id: int) -> Agreement:
    require_capability(user, READ_AGREEMENTS)
    return get_visible_or_404(Agreement.objects.prefetch_related("parties", "documents"), user,
                              pk=agreement_id)


def citable_agreements(user, requesting: str, requested: str, on=None):
    """The agreements a formal request between the two jurisdictions may rest on: in force,
    with both among the parties, and visible to the user."""
    return (restrict(Agreement.objects.all(), user, VIEW).in_force(on)
            .between(requesting, requested).prefetch_related("parties"))


@dataclass
class AgreementsYear:
    year: int
    on: datetime.date        # the date "in force" is counted on (the year's end, or today)
    in_force: list
    signed: list
    expiring: list           # in force on `on`, expiring by the end of the next year
    updated: datetime.datetime | None


def agreements_year(jurisdiction: str, year: int, user=None) -> AgreementsYear:
    """The register as the annual report shows it: for a user through the policy; the
    operator's public report (user None) reads the jurisdiction's own register."""
    found = (restrict(Agreement.objects.all(), user, VIEW) if user is not None
             else Agreement.objects.filter(jurisdiction_id=jurisdiction))
    found = found.exclude(status=AgreementStatus.DRAFT).prefetch_related("parties")
    on = min(datetime.date(year, 12, 31), timezone.localdate())
    in_force = list(found.in_force(on).order_by("in_force_on", "id"))
    return AgreementsYear(
        year, on, in_force,
        list(found.filter(signed_on__year=year).order_by("signed_on", "id")),
        [a for a in in_force if a.expires_on and a.expires_on <= datetime.date(year + 1, 12, 31)],
        found.aggregate(latest=Max("updated_at"))["latest"])


# ---- funding lines -------------------------------------------------------------------------

def funding_lines(user, *, year: int | None = None, source: str = "", recipient_kind: str = ""):
    require_capability(user, READ_FUNDING)
    found = restrict(FundingLine.objects.select_related("shelter"), user, VIEW)
    if year:
        found = found.filter(year=year)
    if source:
        found = found.filter(source=source)
    if recipient_kind:
        found = found.filter(recipient_kind=recipient_kind)
    return found


def funding_line(user, line_id: int) -> FundingLine:
    require_capability(user, READ_FUNDING)
    return get_visible_or_404(FundingLine.objects.select_related("shelter"), user, pk=line_id)


def funding_shelters(user):
    """The shelters of the user's jurisdiction a funding line may go to."""
    from crossroads.assistance.models import Shelter

    return restrict(Shelter.objects.all(), user, VIEW).filter(
        agency__jurisdiction_id=user.jurisdiction_id).order_by("name", "id")


@dataclass
class Sums:
    label: str
    currency: str
    needed: Decimal = Decimal("0")
    allocated: Decimal = Decimal("0")
    spent: Decimal = Decimal("0")
    lines: int = 0
    need_known: bool = False

    def add(self, line: FundingLine) -> None:
        self.lines += 1
        self.allocated += line.allocated
        self.spent += line.spent
        if line.needed is not None:
            self.needed += line.needed
            self.need_known = True

    @property
    def unspent(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def unfunded(self) -> Decimal | None:
        return self.needed - self.allocated if self.need_known else None


@dataclass
class ShelterCost:
    shelter: str
    capacity: int
    currency: str
    spent: Decimal
    per_bed: Decimal | None
    occupied: Decimal | None   # average places occupied over the year (from the stays)
    per_occupied: Decimal | None


@dataclass
class FundingYear:
    year: int
    lines: list
    totals: list        # Sums per currency
    by_source: list     # Sums per source and currency
    by_recipient: list  # Sums per recipient and currency
    gaps: list          # lines with money unspent or a need not funded
    shelters: list      # ShelterCost
    updated: datetime.datetime | None


def _sums(lines, key) -> list:
    found: dict = {}
    for line in lines:
        label = key(line)
        found.setdefault((label, line.currency), Sums(label, line.currency)).add(line)
    return sorted(found.values(), key=lambda s: (s.label.casefold(), s.currency))


def _occupied(shelter, year: int) -> Decimal:
    """The places taken on average over the year: the stays' days in the year / its days."""
    from crossroads.assistance.models import ShelterStay

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = 0
    for admitted, discharged in ShelterStay.objects.filter(
            shelter=shelter, admitted_on__lte=last).exclude(discharged_on__lt=first).values_list(
            "admitted_on", "discharged_on"):
        end = min(discharged - datetime.timedelta(days=1) if discharged else last, last)
        days += max(0, (end - max(admitted, first)).days + 1)
    return (Decimal(days) / Decimal((last - first).days + 1)).quantize(Decimal("0.1"))


def _per(amount: Decimal, places) -> Decimal | None:
    return (amount / Decimal(places)).quantize(Decimal("0.01")) if places else None


def funding_year(jurisdiction: str, year: int, user=None) -> FundingYear:
    """The year's funding: totals, by source, by recipient, the gaps and the shelters' running
    costs against their capacity. For a user through the policy; the operator's public report
    (user None) reads the jurisdiction's lines (amounts, no identities)."""
    found = (restrict(FundingLine.objects.all(), user, VIEW) if user is not None
             else FundingLine.objects.all())
    lines = list(found.filter(jurisdiction_id=jurisdiction, year=year).select_related(
        "shelter").order_by("source", "id"))
    shelters = []
    by_shelter: dict = {}
    for line in lines:
        if line.shelter_id:
            by_shelter.setdefault((line.shelter_id, line.currency), []).append(line)
    for (_shelter_id, currency), items in sorted(by_shelter.items(), key=lambda kv: (
            kv[1][0].shelter.name, kv[0][1])):
        shelter = items[0].shelter
        spent = sum((i.spent for i in items), Decimal("0"))
        # average occupancy comes from victims' stays: internal editions only
        occupied = _occupied(shelter, year) if user is not None else None
        shelters.append(ShelterCost(shelter.name, shelter.capacity, currency, spent,
                                    _per(spent, shelter.capacity), occupied,
                                    _per(spent, occupied)))
    return FundingYear(
        year, lines, _sums(lines, lambda line: ""),
        _sums(lines, lambda line: line.source_name),
        _sums(lines, lambda line: f"{line.recipient_name} ({line.get_recipient_kind_display()})"),
        [line for line in lines if line.unspent > 0 or (line.unfunded or 0) > 0],
        shelters, max((line.updated_at for line in lines), default=None))

"""Scorecards of a review cycle: per pillar and per instrument the counts by status and the score
(`monitor.scoring`), against the jurisdiction's previous cycle, beside the US TIP tiers and the
figures others published (`data/jurisdictions.yaml`, each with its source); and the publication
of a closed cycle's scorecard to the hub.

Publishing follows the statistics releases: one coordinator asks (the payload is fixed then:
aggregate counts only, no comment, provision, evidence or assessor), a second coordinator of
the jurisdiction approves (`crossroads.access.four_eyes`), and the approval announces it
(`monitor.signals.scorecard_approved`, inside the approving transaction) to the regional app,
which queues it for the hub as a signed message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.access.actions import CHANGE, VIEW
from crossroads.access.four_eyes import FourEyes
from crossroads.access.policy import get_visible_or_404, require, require_capability, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.validation import collect

from .. import queries, reference, scoring
from ..choices import CycleStatus, PublicationStatus, instrument_key
from ..models import ReviewCycle, ScorecardPublication
from ..rules import MANAGE_REVIEWS, READ_REVIEWS
from ..signals import scorecard_approved

FLOW = FourEyes(ScorecardPublication, capability=MANAGE_REVIEWS,
                decided_message=gettext_lazy("This publication has already been decided."),
                pending=PublicationStatus.PENDING, related=("cycle",))


@dataclass(frozen=True)
class Change:
    key: str
    now: float | None
    before: float | None

    @property
    def change(self) -> float | None:
        return scoring.change(self.now, self.before)


@dataclass
class Figure:
    """One figure published by others, with its source."""

    kind: str
    year: int
    value: str
    source: str
    note: str = ""


@dataclass
class Scorecard:
    cycle: ReviewCycle
    previous: ReviewCycle | None
    pillars: list[scoring.Group]
    instruments: list[scoring.Group]
    overall: scoring.Group
    pillar_changes: list[Change] = field(default_factory=list)
    instrument_changes: list[Change] = field(default_factory=list)
    tiers: list[dict] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    publications: list[ScorecardPublication] = field(default_factory=list)

    @property
    def jurisdiction(self) -> str:
        return self.cycle.jurisdiction_id


def _rows(cycle: ReviewCycle) -> list[tuple[str, str, str]]:
    return list(cycle.assessments.values_list("obligation__pillar", "obligation__instrument",
                                              "status"))


def counts_of(cycle: ReviewCycle) -> tuple[list[scoring.Group], list[scoring.Group], scoring.Group]:
    """Per pillar, per instrument and over all: the cycle's counts by status (the caller has
    the cycle through the policy)."""
    rows = _rows(cycle)
    pillars = scoring.groups([(p, s) for p, _i, s in rows], scoring.PILLARS)
    instruments = scoring.groups([(instrument_key(i), s) for _p, i, s in rows],
                                 scoring.INSTRUMENTS)
    overall = scoring.groups([("all", s) for _p, _i, s in rows], ("all",))[0]
    return pillars, instruments, overall


def _changes(now: list[scoring.Group], before: list[scoring.Group] | None) -> list[Change]:
    earlier = {g.key: g.score for g in before or []}
    return [Change(g.key, g.score, earlier.get(g.key)) for g in now]


FIGURE_KINDS = {
    "victims_identified": (gettext_lazy("Victims identified"),
                           lambda r: f"{r['total']} ({r.get('counting') or ''})".replace(" ()", "")),
    "investigations": (gettext_lazy("Investigations"),
                       lambda r: f"{r.get('cases')} / {r.get('suspects')} ({r.get('body') or ''})"),
    "prosecutions": (gettext_lazy("Prosecutions"),
                     lambda r: f"{r.get('cases')} / {r.get('defendants')} ({r.get('body') or ''})"),
    "convictions": (gettext_lazy("Convictions"), lambda r: str(r.get("convicted"))),
}
FIGURE_VALUE = {"victims_identified": "total", "investigations": "cases",
                "prosecutions": "cases", "convictions": "convicted"}


def published_reference(code: str) -> tuple[list[dict], list[Figure]]:
    """The jurisdiction's US TIP tiers and the figures others published, each with its source
    (rows without a figure or a source are left out)."""
    entry = reference.jurisdictions().get(reference.CODES.get(code, ""), {}) or {}
    tiers = [t for t in entry.get("tip_tiers") or [] if t.get("source")]
    figures = []
    for kind, (label, text) in FIGURE_KINDS.items():
        for row in entry.get(kind) or []:
            if row.get(FIGURE_VALUE[kind]) is None or not row.get("source"):
                continue
            figures.append(Figure(str(label), row["reference_year"], text(row), row["source"],
                                  row.get("note") or row.get("reported_in") or ""))
    return tiers, figures


def _cycle_for(user, jurisdiction: str, cycle_id: int | None) -> ReviewCycle:
    require_capability(user, READ_REVIEWS)
    with collect() as errors:
        if jurisdiction and jurisdiction not in reference.CODES:
            errors.add({"jurisdiction": _("A jurisdiction code: one of %(codes)s.") % {
                "codes": ", ".join(reference.CODES)}})
    if cycle_id is not None:
        cycle = queries.cycle(user, cycle_id)
        if jurisdiction and cycle.jurisdiction_id != jurisdiction:
            raise ValidationError({"cycle": _("This cycle is not one of %(code)s.") % {
                "code": jurisdiction}})
        return cycle
    latest = queries.cycles(user, jurisdiction or user.jurisdiction_id).order_by("-year").first()
    if latest is None:
        raise Http404(_("No review cycle of this jurisdiction is visible to you."))
    return latest


def scorecard(user, *, jurisdiction: str = "", cycle_id: int | None = None) -> Scorecard:
    """The scorecard of a cycle the user may see (the latest of `jurisdiction`, by default the
    user's own, without `cycle_id`), against the previous cycle the user may see."""
    cycle = _cycle_for(user, jurisdiction, cycle_id)
    previous = (queries.cycles(user, cycle.jurisdiction_id).filter(year__lt=cycle.year)
                .order_by("-year").first())
    pillars, instruments, overall = counts_of(cycle)
    before = counts_of(previous) if previous else (None, None, None)
    tiers, figures = published_reference(cycle.jurisdiction_id)
    return Scorecard(cycle, previous, pillars, instruments, overall,
                     _changes(pillars, before[0]), _changes(instruments, before[1]),
                     tiers, figures, list(publications(user, cycle)))


def publications(user, cycle: ReviewCycle):
    return restrict(ScorecardPublication.objects.filter(cycle=cycle), user, VIEW).select_related(
        "requested_by", "decided_by")


def payload(cycle: ReviewCycle) -> dict:
    """What leaves for the hub: the counts by status per pillar and instrument, and which
    cycle they are of — nothing else."""
    pillars, instruments, _overall = counts_of(cycle)
    return {"jurisdiction": cycle.jurisdiction_id, "year": cycle.year,
            "version": f"scorecard-{cycle.jurisdiction_id}-{cycle.year}-{cycle.pk}",
            "closed_on": cycle.closed_at.date().isoformat() if cycle.closed_at else None,
            "pillars": {g.key: g.counts for g in pillars},
            "instruments": {g.key: g.counts for g in instruments}}


def request_publication(actor, cycle: ReviewCycle) -> ScorecardPublication:
    """Ask to publish a closed cycle's scorecard; it waits for a second coordinator."""
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, cycle)
    with transaction.atomic():
        cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
        with collect() as errors:
            if cycle.status != CycleStatus.CLOSED:
                errors.add({"cycle": _("Only the scorecard of a closed cycle can be published: "
                                       "close the cycle first.")})
            elif ScorecardPublication.objects.filter(cycle=cycle).exclude(
                    status=PublicationStatus.REJECTED).exists():
                errors.add({"cycle": _("This cycle's scorecard is already published or waiting "
                                       "for approval.")})
        publication = ScorecardPublication.objects.create(
            cycle=cycle, jurisdiction_id=cycle.jurisdiction_id, payload=payload(cycle),
            requested_by=actor)
        record(actor, Action.CREATE, publication, details={
            "cycle": cycle.pk, "status": publication.status})
    return publication


def _get(actor, publication_id) -> ScorecardPublication:
    return get_visible_or_404(ScorecardPublication.objects.select_related("cycle"), actor,
                              pk=publication_id)


def approve_publication(actor, publication_id, reason: str = "") -> ScorecardPublication:
    """A second coordinator approves: the scorecard is queued for the hub in this transaction."""
    publication = _get(actor, publication_id)

    def effect(pending):
        FLOW.close(actor, pending, PublicationStatus.APPROVED, reason,
                   details={"cycle": pending.cycle_id, "status": PublicationStatus.APPROVED})
        scorecard_approved.send(sender=ScorecardPublication, publication=pending, actor=actor)

    return FLOW.decide(actor, publication, "approve", effect)


def reject_publication(actor, publication_id, reason: str) -> ScorecardPublication:
    publication = _get(actor, publication_id)

    def before():
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Give the reason.")})

    return FLOW.decide(actor, publication, "reject", lambda pending: FLOW.close(
        actor, pending, PublicationStatus.REJECTED, reason,
        details={"cycle": pending.cycle_id, "status": PublicationStatus.REJECTED}),
        before=before)


def may_decide_publication(actor, publication: ScorecardPublication) -> bool:
    return FLOW.is_pending(publication) and FLOW.may_decide(actor, publication)


SCORE_RULE = ("100 × (aligned + 0.5 × partly) / (aligned + partly + not aligned); not applicable "
              "and unknown left out; no score when nothing is assessed; unknown_share = percent "
              "unknown among the obligations that apply")


def _group_out(group: scoring.Group, change: Change | None = None) -> dict:
    return {**group.as_dict(), "previous_score": change.before if change else None,
            "change": change.change if change else None}


def scorecard_out(card: Scorecard) -> dict:
    """The scorecard as the API answers it."""
    latest = next((p.status for p in card.publications), None)
    return {"jurisdiction": card.jurisdiction, "cycle": card.cycle.pk, "year": card.cycle.year,
            "status": card.cycle.status,
            "previous_cycle": card.previous.pk if card.previous else None,
            "score_rule": SCORE_RULE, "overall": _group_out(card.overall),
            "pillars": [_group_out(g, c) for g, c in zip(card.pillars, card.pillar_changes, strict=True)],
            "instruments": [_group_out(g, c)
                            for g, c in zip(card.instruments, card.instrument_changes, strict=True)],
            "tip_tiers": card.tiers, "figures": [vars(f) for f in card.figures],
            "publication": latest}

"""Published scorecards: a node sends a closed review cycle's scorecard (approved by a second
coordinator, `monitor.services.scorecards`) to the hub; the hub keeps it if it holds counts
only, and draws the regional heat map (jurisdictions × pillars and × instruments) from the
latest scorecard of each jurisdiction.

The score is computed on the hub from the counts, as on the node (`monitor.scoring`)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import transaction

from crossroads.access.policy import VIEW
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.monitor import reference, scoring

from .models import RegionalScorecard
from .receive import hub_receiver
from .tables import JURISDICTION, Refused

KIND = "monitor.scorecard"
BODY_KEYS = {"jurisdiction", "year", "version", "closed_on", "pillars", "instruments"}
MAX_COUNT = 10_000


def _counts(value, keys: tuple[str, ...], where: str) -> dict:
    if not isinstance(value, dict) or set(value) != set(keys):
        raise Refused(where, f"exactly the keys {', '.join(keys)}")
    for key, counts in value.items():
        if not isinstance(counts, dict) or set(counts) != set(scoring.STATUSES):
            raise Refused(f"{where}.{key}", f"counts of exactly {', '.join(scoring.STATUSES)}")
        for status, count in counts.items():
            if type(count) is not int or not 0 <= count <= MAX_COUNT:
                raise Refused(f"{where}.{key}.{status}", "a count (a whole number, 0 or more)")
    return value


def validate(body, jurisdictions: list[str]) -> dict:
    """`body` if it is a scorecard (counts only) of one of `jurisdictions`; else `Refused`."""
    if not isinstance(body, dict) or set(body) != BODY_KEYS:
        raise Refused("body", f"exactly the keys {', '.join(sorted(BODY_KEYS))}")
    code = body["jurisdiction"]
    if not isinstance(code, str) or not JURISDICTION.fullmatch(code):
        raise Refused("jurisdiction", "a two-letter code")
    if code not in jurisdictions:
        raise Refused("jurisdiction", "not a jurisdiction of the sending node")
    if type(body["year"]) is not int or not 2000 <= body["year"] <= 2100:
        raise Refused("year", "a year from 2000 to 2100")
    if not isinstance(body["version"], str) or not re.fullmatch(r"[\w.-]{1,80}", body["version"]):
        raise Refused("version", "1-80 letters, digits, '.', '_' or '-'")
    if body["closed_on"] is not None:
        try:
            datetime.date.fromisoformat(body["closed_on"])
        except (TypeError, ValueError):
            raise Refused("closed_on", "an ISO 8601 date or null") from None
    _counts(body["pillars"], scoring.PILLARS, "pillars")
    _counts(body["instruments"], scoring.INSTRUMENTS, "instruments")
    return body


def store_scorecard(node: str, jurisdictions: list[str], body, message_id: str) -> RegionalScorecard:
    body = validate(body, jurisdictions)
    if RegionalScorecard.objects.filter(jurisdiction=body["jurisdiction"],
                                        version=body["version"]).exists():
        raise Refused("version", "this scorecard of the jurisdiction is already held")
    with transaction.atomic():
        card = RegionalScorecard.objects.create(
            jurisdiction=body["jurisdiction"], node=node, version=body["version"],
            year=body["year"], closed_on=body["closed_on"], pillars=body["pillars"],
            instruments=body["instruments"], message_id=message_id)
        record(None, Action.CREATE, object_type="regional.scorecard", object_id=str(card.pk),
               jurisdiction=card.jurisdiction, details={"node": node, "version": card.version,
                                                        "year": card.year})
    return card


receive_scorecard = hub_receiver(store_scorecard, "scorecard")


def send_scorecard(publication, actor) -> str:
    """Queue an approved publication's payload for the hub (inside the approval's
    transaction); the message id."""
    from crossroads.exchange import transport

    body = validate(dict(publication.payload), [publication.jurisdiction_id])
    message = transport.send_to_hub(KIND, body)
    record(actor, Action.EXPORT, object_type="regional.scorecardpublication",
           object_id=str(publication.pk), jurisdiction=publication.jurisdiction_id,
           details={"message": str(message.message_id), "version": body["version"],
                    "requested_by": publication.requested_by_id})
    return str(message.message_id)


# ---------------------------------------------------------------------------- the heat map


@dataclass
class Cell:
    key: str
    group: scoring.Group | None  # None: not published

    @property
    def score(self) -> float | None:
        return self.group.score if self.group else None

    @property
    def band(self) -> str:
        return scoring.band(self.score) if self.group else "unpublished"


@dataclass
class HeatRow:
    jurisdiction: str
    card: RegionalScorecard | None
    pillars: list[Cell]
    instruments: list[Cell]


def heat_map(user) -> list[HeatRow]:
    """One row per jurisdiction of the region: the latest scorecard it published (by year)
    and its score per pillar and instrument; jurisdictions without one are shown as such."""
    latest: dict[str, RegionalScorecard] = {}
    for card in RegionalScorecard.objects.restrict(user, VIEW).order_by("jurisdiction", "-year",
                                                                        "-received_at"):
        latest.setdefault(card.jurisdiction, card)
    rows = []
    for code in sorted({*reference.CODES, *latest}):
        card = latest.get(code)
        rows.append(HeatRow(code, card, *(
            [Cell(g.key, g if card else None) for g in
             scoring.from_counts(getattr(card, name) if card else {}, keys)]
            for name, keys in (("pillars", scoring.PILLARS),
                               ("instruments", scoring.INSTRUMENTS)))))
    return rows

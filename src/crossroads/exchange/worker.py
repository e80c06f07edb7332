"""One round of the node's exchange work, as `crossroads exchange work` runs it in a loop."""

import logging
from dataclasses import dataclass

from django.utils import timezone

from . import services, transport, witness
from .transport import TransportError

log = logging.getLogger(__name__)
WITNESS_EVERY = 300  # seconds between two audit heads sent to the hub (and directory refreshes)


@dataclass
class Round:
    synced: int = 0
    delivered: int = 0
    fetched: int = 0
    processed: int = 0
    reminded: int = 0
    refused: int = 0
    error: str = ""


_last_witness = None


def run_round(*, witness_now: bool = False) -> Round:
    """Refuse pending requests about what is no longer shared, encode queued persons and hash
    queued selectors, deliver the outbox, fetch the mailbox, process the inbox, remind of
    deadlines, and now and then send the audit head. Network failures end the round early;
    nothing is lost (the outbox and inbox are in the database)."""
    global _last_witness
    result = Round()
    result.refused = services.refuse_unanswerable()  # what a missed hook left pending
    try:
        synced = services.sync()
        result.synced = synced.sent + synced.selectors_sent
        now = timezone.now()
        if witness_now or _last_witness is None or (now - _last_witness).total_seconds() > WITNESS_EVERY:
            transport.refresh_directory()  # peers' rotated keys, new and deactivated nodes
            witness.send_head()
            _last_witness = now
        result.delivered = transport.deliver()
        result.fetched = transport.fetch()
    except TransportError as error:
        result.error = str(error)
        log.warning("exchange round: %s", error)
    result.processed = transport.process()
    result.reminded = services.remind_deadlines()
    return result

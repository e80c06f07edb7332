"""What networks tells the apps above it (which it may not import): `selectors_written` is sent
once the transaction that wrote entities' selectors has committed, with the ids of those
entities (`entity_ids`). The exchange listens, to offer the selectors to the regional hub."""

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

selectors_written = Signal()


def announce_selectors(entity_ids: Iterable[int]) -> None:
    """Send `selectors_written` for these entities after the current transaction commits (at
    once outside one). Robust: a listener's failure is logged and never undoes the write."""
    ids = sorted(set(entity_ids))
    if not ids:
        return
    from .models import Entity

    transaction.on_commit(lambda: selectors_written.send(sender=Entity, entity_ids=ids),
                          robust=True)

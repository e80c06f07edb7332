"""The hub's side: accept a node's released tables (kind `statistics.release`) or refuse them.

The exchange app dispatches messages for the hub by kind (`exchange.hub.HUB_KINDS`); this
module adds its kind there when the app is installed. A refusal answers the node with the
field at fault and stores nothing.
"""

from django.db import transaction
from django.utils.dateparse import parse_datetime

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from .models import RegionalRelease
from .tables import Refused, validate

KIND = "statistics.release"


def store_release(node: str, jurisdictions: list[str], body, message_id: str) -> RegionalRelease:
    """Validate and keep one release sent by `node` (which hosts `jurisdictions`)."""
    body = validate(body, jurisdictions)
    made_at = parse_datetime(body["made_at"])
    if made_at is None or made_at.tzinfo is None:
        raise Refused("made_at", "an ISO 8601 time with its offset")
    if RegionalRelease.objects.filter(jurisdiction=body["jurisdiction"],
                                      version=body["version"]).exists():
        raise Refused("version", "this release of the jurisdiction is already held")
    with transaction.atomic():
        release = RegionalRelease.objects.create(
            jurisdiction=body["jurisdiction"], node=node, version=body["version"],
            made_at=made_at, threshold=body["threshold"], records=body["records"],
            tables=body["tables"], message_id=message_id)
        record(None, Action.CREATE, object_type="regional.release", object_id=str(release.pk),
               jurisdiction=release.jurisdiction,
               details={"node": node, "version": release.version,
                        "threshold": release.threshold})
    return release


def hub_receiver(store, what: str):
    """The hub's handler of one kind of the nodes' regional publications: `store` the body
    (node code, its jurisdictions, body, message id) or refuse it, naming `what`."""

    def receive(node, header: dict, envelope: dict) -> None:
        from crossroads.exchange.hub import HubRefusal

        try:
            store(node.code, list(node.jurisdictions), envelope["body"], header["id"])
        except Refused as error:
            raise HubRefusal(f"{what} refused: {error}") from None

    return receive


receive_release = hub_receiver(store_release, "statistics release")


def register_with_hub(kind: str, receive) -> None:
    try:
        from crossroads.exchange import hub
    except ImportError:  # an installation without the exchange app
        return
    hub.HUB_KINDS.setdefault(kind, receive)

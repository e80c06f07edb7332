"""The node's side of the transport: outbox, delivery with back-off, mailbox fetch, inbox.

Sending never talks to the network: `send` writes a signed envelope to the outbox inside the
caller's transaction. `deliver` posts due envelopes to the hub, retrying with exponential
back-off and jitter; `fetch` takes the node's mailbox, verifies each envelope, stores it in
the inbox (once: by message id) and acknowledges it; `process` hands inbox messages to their
handlers exactly once, in order of sequence number within a conversation (a message whose
predecessor has not arrived waits). `crossroads exchange work` runs the three in a loop.
"""

import datetime
import json
import logging
import random
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import identity, pinning, signed_requests
from .envelope import EnvelopeError, Peer, build, canonical, check_age, open_sealed, verify
from .identity import HUB_ID, IdentityError
from .models import Conversation, HeldEnvelope, InboxMessage, OutboxMessage, PeerNode

log = logging.getLogger(__name__)
TIMEOUT = 10
BACKOFF_BASE = 2.0          # seconds before the first retry
BATCH = 50
# Messages wait at the hub while this node is down; older than this they are refused.
MAX_AGE = datetime.timedelta(days=30)
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Kinds whose bodies carry identity values (a request's purpose, an answer's names): only ever
# sealed to a pinned peer node, never addressed to the hub.
IDENTITY_KINDS = frozenset({"request", "decision"})


class TransportError(Exception):
    """The hub could not be reached or answered with an error."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


# ---- talking to the hub -----------------------------------------------------------------

def hub_url() -> str:
    url = settings.CROSSROADS_HUB_URL
    if not url:
        raise ImproperlyConfigured("CROSSROADS_HUB_URL must name the hub.")
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise ImproperlyConfigured("CROSSROADS_HUB_URL must be an http(s) URL.")
    return url.rstrip("/")


def hub_peer() -> Peer:
    if not settings.CROSSROADS_HUB_SIGNING_KEY:
        raise ImproperlyConfigured("CROSSROADS_HUB_SIGNING_KEY must hold the hub's public key.")
    return Peer(HUB_ID, settings.CROSSROADS_HUB_SIGNING_KEY, "")


def call_hub(path: str, payload: dict | None = None) -> dict:
    """POST a signed request (or GET without a payload) to the hub; the JSON answer."""
    url = hub_url() + "/hub/v1/" + path
    data = None
    headers = {"Accept": "application/json"}
    if payload is not None:
        data = canonical(payload)
        headers |= {"Content-Type": "application/json",
                    **signed_requests.sign(identity.load(), "POST", urllib.parse.urlsplit(url).path,
                                           data)}
    request = urllib.request.Request(url, data=data, headers=headers,  # noqa: S310 (scheme checked)
                                     method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            detail = json.loads(error.read()).get("detail", "")
        except ValueError:
            detail = ""
        raise TransportError(f"hub answered {error.code}: {detail}"[:300], error.code) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise TransportError(f"hub unreachable: {error}"[:300]) from None


def refresh_directory() -> None:
    """Fetch the hub's directory, check the hub's signature, pin the peers' keys (new keys of a
    pinned peer wait for an administrator's confirmation: `pinning`)."""
    answer = call_hub("directory")
    try:
        listing, signature = answer["directory"], answer["sig"]
        identity.signing_public_key(hub_peer().signing_key).verify(
            identity.unb64(signature, 64), canonical(listing))
        nodes = listing["nodes"]
    except Exception as error:  # noqa: BLE001 - anything wrong with it means: not trusted
        raise TransportError(f"the hub's directory does not verify: {type(error).__name__}") from None
    pinning.pin_directory(nodes)


def peer(code: str) -> Peer:
    if code == HUB_ID:
        return hub_peer()
    found = PeerNode.objects.filter(code=code, listed=True).first()
    if found is None:
        refresh_directory()
        found = PeerNode.objects.filter(code=code, listed=True).first()
    if found is None:
        raise TransportError(f"{code} is not in the hub's directory")
    return Peer(found.code, found.signing_key, found.encryption_key, found.key_id)


# ---- sending ----------------------------------------------------------------------------

def send(recipient: str, kind: str, body: dict, *, conversation: uuid.UUID | None = None,
         handling: str = "H0") -> OutboxMessage:
    """Queue a signed envelope (sealed to the recipient when it is a node). Within a
    conversation the envelopes are numbered 1, 2, 3…; without one the order does not matter."""
    seq = 0
    if recipient == HUB_ID and kind in IDENTITY_KINDS:
        raise EnvelopeError(f"a {kind} carries identity values and is never addressed to the hub")
    with transaction.atomic():
        if conversation is not None:
            convo, _ = Conversation.objects.select_for_update().get_or_create(
                pk=conversation, defaults={"peer": recipient})
            seq = convo.sent_seq + 1
            Conversation.objects.filter(pk=convo.pk).update(sent_seq=seq)
        envelope = build(identity.load(), recipient=recipient, kind=kind, body=body,
                         conversation=str(conversation or uuid.uuid4()), seq=seq, handling=handling,
                         recipient_peer=None if recipient == HUB_ID else peer(recipient))
        check_leaving(recipient, kind, envelope)
        header = envelope["header"]
        return OutboxMessage.objects.create(
            message_id=header["id"], recipient=recipient, conversation=header["conversation"],
            seq=seq, kind=kind, envelope=canonical(envelope).decode())


def check_leaving(recipient: str, kind: str, envelope: dict) -> None:
    """The last word before an envelope leaves: nothing identity-bearing to the hub, nothing
    between nodes unsealed."""
    header, body = envelope["header"], envelope["body"]
    if HUB_ID in (recipient, header["recipient"]) and kind in IDENTITY_KINDS:
        raise EnvelopeError(f"a {kind} carries identity values and is never addressed to the hub")
    if header["recipient"] != recipient or header["kind"] != kind:
        raise EnvelopeError("the envelope does not match its outbox entry")
    if recipient != HUB_ID and (not header["sealed_to"] or set(body) != {"sealed"}):
        raise EnvelopeError(f"a message to {recipient} must be sealed to its key")


def replace(message: OutboxMessage, body: dict) -> OutboxMessage:
    """Put another body in an outbox envelope that has not left yet, in its place in the
    conversation (same recipient, kind, conversation, sequence number and handling code; a new
    id). A pre-delivery check uses it to send a refusal instead of an answer."""
    old = json.loads(message.envelope)["header"]
    envelope = build(identity.load(), recipient=message.recipient, kind=message.kind, body=body,
                     conversation=str(message.conversation), seq=message.seq,
                     handling=old["handling"], recipient_peer=peer(message.recipient))
    check_leaving(message.recipient, message.kind, envelope)
    message.message_id, message.envelope = envelope["header"]["id"], canonical(envelope).decode()
    message.save(update_fields=["message_id", "envelope"])
    return message


BEFORE_DELIVERY: dict[str, Callable[[OutboxMessage], None]] = {}


def before_delivery(kind: str):
    """Register a check run on each outbox envelope of `kind` just before it is posted:
    f(message) may `replace` its body (inside the delivery's transaction) or raise to hold it."""

    def register(function):
        BEFORE_DELIVERY[kind] = function
        return function

    return register


def _ready(message: OutboxMessage) -> OutboxMessage:
    """Run the kind's pre-delivery check and the leaving check; the envelope to post."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.kind in BEFORE_DELIVERY:
            BEFORE_DELIVERY[message.kind](message)
        check_leaving(message.recipient, message.kind, json.loads(message.envelope))
    return message


def send_to_hub(kind: str, body: dict) -> OutboxMessage:
    """Queue a signed message for the hub itself (`encoding.put`, `witness.head`,
    `publication`, …); delivered by the worker like every other."""
    return send(HUB_ID, kind, body)


def publish(name: str, body) -> OutboxMessage:
    """Publish released aggregates (already through disclosure control) to the hub."""
    return send_to_hub("publication", {"name": name, "body": body})


def backoff(attempts: int) -> datetime.timedelta:
    """Exponential, capped, with full jitter so that nodes back from an outage spread out."""
    ceiling = min(settings.CROSSROADS_EXCHANGE_RETRY_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def deliver(limit: int = BATCH) -> int:
    """Post due outbox envelopes to the hub; the number delivered."""
    delivered = 0
    due = OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())
    for message in due.order_by("id")[:limit]:
        try:
            message = _ready(message)
        except (EnvelopeError, TransportError, IdentityError) as error:
            log.error("outbox message %s held back: %s", message.message_id, error)
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=f"held back: {error}"[:300],
                next_attempt_at=timezone.now() + backoff(message.attempts + 1))
            continue
        try:
            call_hub("messages", json.loads(message.envelope))
        except TransportError as error:
            attempts = message.attempts + 1
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=attempts, last_error=str(error)[:300],
                next_attempt_at=timezone.now() + backoff(attempts))
            if error.status is None:
                break  # the hub is down: the rest waits for the next round
            continue
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=timezone.now(), attempts=message.attempts + 1, last_error="")
        delivered += 1
    return delivered


# ---- receiving --------------------------------------------------------------------------

def accept(envelope) -> InboxMessage | None:
    """Verify an envelope for this node and keep it in the inbox; None for a duplicate."""
    own = identity.load().node
    if not isinstance(envelope, dict) or not isinstance(envelope.get("header"), dict):
        raise EnvelopeError("not an envelope")
    sender = envelope["header"].get("sender")
    if not isinstance(sender, str):
        raise EnvelopeError("no sender")
    try:
        header = verify(envelope, peer(sender))
    except EnvelopeError:
        if sender == HUB_ID:
            raise
        refresh_directory()  # the sender may have rotated its keys since the last directory
        try:
            header = verify(envelope, peer(sender))
        except EnvelopeError:
            if pinning.hold(envelope, sender):  # signed with keys not confirmed yet
                return None
            raise
    if header["recipient"] != own:
        raise EnvelopeError("addressed to another node")
    if InboxMessage.objects.filter(message_id=header["id"]).exists():
        return None
    check_age(header, MAX_AGE, CLOCK_SKEW)
    try:
        with transaction.atomic():
            return InboxMessage.objects.create(
                message_id=header["id"], sender=sender, nonce=header["nonce"],
                conversation=header["conversation"], seq=header["seq"], kind=header["kind"],
                envelope=canonical(envelope).decode())
    except IntegrityError:
        if InboxMessage.objects.filter(message_id=header["id"]).exists():
            return None
        raise EnvelopeError("replayed nonce") from None


def take_held(sender: str) -> int:
    """Take the envelopes held from `sender` (signed with keys not confirmed then) into the
    inbox, once its new keys are pinned (`pinning.confirm`); how many were taken. One that is
    now too old, or replayed, is dropped with a warning."""
    taken = 0
    for held in HeldEnvelope.objects.filter(sender=sender):
        try:
            taken += accept(json.loads(held.envelope)) is not None
        except EnvelopeError as error:
            log.warning("dropped a held message from %s: %s", sender, error)
        held.delete()
    return taken


def fetch(on_refused: Callable[[dict, str], None] | None = None) -> int:
    """Take the mailbox from the hub until it is empty; the number of new inbox messages.
    Refused envelopes are acknowledged too (they would come back forever) and reported."""
    new = 0
    while True:
        envelopes = call_hub("mailbox", {"limit": 100}).get("envelopes", [])
        if not envelopes:
            return new
        ids = []
        for envelope in envelopes:
            try:
                new += accept(envelope) is not None
            except (EnvelopeError, TransportError, IdentityError) as error:
                log.warning("refused an envelope from the mailbox: %s", error)
                if on_refused:
                    on_refused(envelope, str(error))
            header = envelope.get("header") if isinstance(envelope, dict) else None
            if isinstance(header, dict) and isinstance(header.get("id"), str):
                ids.append(header["id"])
        call_hub("mailbox/ack", {"ids": ids})


HANDLERS: dict[str, Callable[[InboxMessage, dict, dict], None]] = {}


def handler(kind: str):
    """Register the function that processes inbox messages of `kind`: f(message, header, body)."""

    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def open_body(envelope: dict) -> dict:
    if envelope["header"]["sealed_to"]:
        return open_sealed(envelope, identity.load())
    return envelope["body"]


def _process_one(message: InboxMessage) -> bool:
    """Process one message if its turn has come; True when it was processed (or failed for
    good), False when it waits for an earlier one of its conversation."""
    with transaction.atomic():
        message = InboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.processed_at is not None:
            return True
        convo = None
        if message.seq:
            convo, _ = Conversation.objects.select_for_update().get_or_create(
                pk=message.conversation, defaults={"peer": message.sender})
            if convo.peer != message.sender:
                return _fail(message, "conversation belongs to another peer")
            if message.seq > convo.processed_seq + 1:
                return False
            if message.seq <= convo.processed_seq:
                return _fail(message, "sequence number already processed")
        envelope = json.loads(message.envelope)
        try:
            function = HANDLERS[message.kind]
            with transaction.atomic():
                function(message, envelope["header"], open_body(envelope))
        except KeyError:
            return _fail(message, f"unknown kind {message.kind}", convo)
        except (EnvelopeError, ValueError) as error:
            return _fail(message, str(error), convo)
        if convo is not None:
            Conversation.objects.filter(pk=convo.pk).update(processed_seq=message.seq)
        InboxMessage.objects.filter(pk=message.pk).update(processed_at=timezone.now())
        return True


def _fail(message: InboxMessage, error: str, convo: Conversation | None = None) -> bool:
    """A message that can never be processed is set aside (with its error) and does not block
    its conversation."""
    log.warning("inbox message %s set aside: %s", message.message_id, error)
    if convo is not None and message.seq == convo.processed_seq + 1:
        Conversation.objects.filter(pk=convo.pk).update(processed_seq=message.seq)
    InboxMessage.objects.filter(pk=message.pk).update(processed_at=timezone.now(), error=error[:300])
    return True


def process() -> int:
    """Process waiting inbox messages in order; the number processed."""
    done = 0
    progress = True
    while progress:
        progress = False
        for message in InboxMessage.objects.filter(processed_at__isnull=True).order_by("seq", "id"):
            if _process_one(message):
                done += 1
                progress = True
    return done

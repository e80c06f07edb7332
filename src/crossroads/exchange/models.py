"""Exchange tables. A node uses the node tables, a hub the hub tables (`Hub*`); the app is the
same so that one installation can be either. Nothing in a hub table is identity data in clear:
encodings are keyed Bloom filters, references are random, bodies between nodes are sealed."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossroads.access.policy import RestrictedQuerySet
from crossroads.keys.fields import EncryptedTextField, row_key_field
from crossroads.registry.choices import HandlingCode

from .choices import (
    Direction,
    InformationReliability,
    RequestStatus,
    SourceReliability,
    WitnessAlertKind,
)


def new_reference() -> str:
    """An opaque reference for one shared person: random, never derived from the person."""
    return secrets.token_hex(16)


# ---- transport, both sides -------------------------------------------------------------

class OutboxMessage(models.Model):
    """A signed envelope waiting to reach the hub; written in the transaction that caused it,
    so a crash either loses both or neither. Delivered by `crossroads exchange work`."""

    message_id = models.UUIDField(unique=True)
    recipient = models.CharField(max_length=16)
    conversation = models.UUIDField()
    seq = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=32)
    envelope = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]


class InboxMessage(models.Model):
    """An envelope received from the hub, verified; unique by message id (a resend is not a
    duplicate) and by the sender's nonce (a reused nonce is a replay). Processed in order of
    `seq` within its conversation."""

    message_id = models.UUIDField(unique=True)
    sender = models.CharField(max_length=16)
    nonce = models.CharField(max_length=64)
    conversation = models.UUIDField()
    seq = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=32)
    envelope = models.TextField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["sender", "nonce"], name="inbox_nonce_once")]
        indexes = [models.Index(fields=["processed_at", "conversation", "seq"])]


class Conversation(models.Model):
    """Sequence numbers of one conversation with one peer: the last sent and the last processed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    peer = models.CharField(max_length=16)
    sent_seq = models.PositiveIntegerField(default=0)
    processed_seq = models.PositiveIntegerField(default=0)


# ---- node side -------------------------------------------------------------------------

class SharedReference(models.Model):
    """The node-only map from the hub's opaque reference to the local person."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey("access.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=32, unique=True, default=new_reference)
    digest = models.CharField(max_length=64, blank=True)  # of the last encoding sent
    shared_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["person"], name="one_reference_per_person")]


class SharedSelector(models.Model):
    """The node-only map from the hub's opaque reference to a selector (a phone, e-mail, IBAN,
    plate or document number) known in one of this node's jurisdictions: by its kind and the
    node's own keyed hash (`networks.Selector.digest`), never its value. One reference for every
    entity of the jurisdiction holding the value, so the hub cannot count them."""

    jurisdiction = models.ForeignKey("access.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16)
    digest = models.CharField(max_length=32)
    reference = models.CharField(max_length=32, unique=True, default=new_reference)
    hashed = models.CharField(max_length=64, blank=True)  # the keyed hash last sent
    shared_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "kind", "digest"],
                                               name="one_reference_per_selector")]


class Hit(models.Model):
    """The hub found that another jurisdiction probably knows one of this node's persons
    (`reference`), or knows one of its selectors (`selector`: an exact match of the keyed
    hash, score 1)."""

    reference = models.ForeignKey(SharedReference, on_delete=models.CASCADE, related_name="hits",
                                  null=True, blank=True)
    selector = models.ForeignKey(SharedSelector, on_delete=models.CASCADE, related_name="hits",
                                 null=True, blank=True)
    remote_reference = models.CharField(max_length=32)
    remote_node = models.CharField(_("node"), max_length=16)
    remote_jurisdiction = models.CharField(_("jurisdiction"), max_length=2)
    score = models.FloatField(_("score"))
    received_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reference", "remote_reference"], name="hit_once_per_pair"),
            models.UniqueConstraint(fields=["selector", "remote_reference"],
                                    name="selector_hit_once_per_pair"),
            models.CheckConstraint(condition=models.Q(reference__isnull=True) ^ models.Q(
                selector__isnull=True), name="hit_of_a_person_or_a_selector"),
        ]

    @property
    def shared(self) -> "SharedReference | SharedSelector":
        """What of this node the hit is about: its shared person or its shared selector."""
        return self.selector if self.selector_id else self.reference

    @property
    def kind(self) -> str:
        """`person`, or the selector's kind (`phone`, `iban`...): never its value."""
        return self.selector.kind if self.selector_id else "person"

    @property
    def kind_label(self) -> str:
        from crossroads.networks.choices import SelectorKind

        return SelectorKind(self.selector.kind).label if self.selector_id else _("Person")


# An undecided request is due soon from this many days before its deadline (reminded once a day).
REMIND_BEFORE = datetime.timedelta(days=2)


class ExchangeRequestQuerySet(RestrictedQuerySet):
    """The one definition of a request's deadline states: `overdue` is undecided past its
    deadline (due today is not overdue yet), `due_soon` undecided with the deadline at most
    `REMIND_BEFORE` away or past; `awaiting_decision` is what this node's focal points must
    answer. The model's `is_overdue` / `is_due_soon` say the same of one request."""

    def pending(self):
        return self.filter(status=RequestStatus.PENDING)

    def awaiting_decision(self):
        return self.pending().filter(direction=Direction.IN)

    def overdue(self, today: datetime.date | None = None):
        return self.pending().filter(deadline__lt=today or timezone.localdate())

    def due_soon(self, today: datetime.date | None = None):
        return self.pending().filter(deadline__lte=(today or timezone.localdate()) + REMIND_BEFORE)


class ExchangeRequest(models.Model):
    """A formal request, as its sender (outgoing) or as the owner of the data (incoming) sees it.
    Both sides know it by `public_id`; the answer's values exist only on the requesting side."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="+")
    hit = models.ForeignKey(Hit, on_delete=models.PROTECT, null=True, related_name="requests")
    jurisdiction = models.ForeignKey("access.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    peer_node = models.CharField(_("node"), max_length=16)
    peer_jurisdiction = models.CharField(_("jurisdiction"), max_length=2)
    local_reference = models.CharField(max_length=32)
    remote_reference = models.CharField(max_length=32)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     related_name="+")
    requester = models.CharField(_("requester"), max_length=200)
    purpose = EncryptedTextField(_("purpose"))
    legal_basis = EncryptedTextField(_("legal basis"), blank=True)
    # the agreement the request rests on (requesting side; the owner reads its citation in
    # the legal basis it receives)
    agreement = models.ForeignKey("monitor.Agreement", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("agreement"))
    fields_requested = models.JSONField(_("fields requested"), default=list)
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = EncryptedTextField(_("reason"), blank=True)
    fields_approved = models.JSONField(_("fields approved"), default=list)
    source_reliability = models.CharField(_("source reliability"), max_length=1, blank=True,
                                          choices=SourceReliability.choices)
    information_reliability = models.CharField(_("information reliability"), max_length=1,
                                               blank=True, choices=InformationReliability.choices)
    answer = EncryptedTextField(blank=True)  # JSON of the approved fields (requesting side)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = ExchangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "status", "deadline"])]

    def is_overdue_on(self, today: datetime.date | None = None) -> bool:
        return self.status == RequestStatus.PENDING and self.deadline < (today or timezone.localdate())

    def is_due_soon_on(self, today: datetime.date | None = None) -> bool:
        return (self.status == RequestStatus.PENDING
                and self.deadline <= (today or timezone.localdate()) + REMIND_BEFORE)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on()

    @property
    def is_due_soon(self) -> bool:
        return self.is_due_soon_on()


# ---- hub side --------------------------------------------------------------------------

class HubNode(models.Model):
    """The registry of nodes, kept by the hub's administrator: who may talk, with which keys."""

    code = models.CharField(max_length=16, primary_key=True)
    jurisdictions = models.JSONField(default=list)
    url = models.URLField(blank=True)
    signing_key = models.CharField(max_length=60)
    encryption_key = models.CharField(max_length=60)
    key_id = models.CharField(max_length=40)
    active = models.BooleanField(default=True)
    registered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]


class HubNonce(models.Model):
    """Request nonces seen within the time window: a second use is a replay."""

    node = models.CharField(max_length=16)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "nonce"], name="hub_nonce_once")]


class HubMessage(models.Model):
    """Store-and-forward mailbox (and the hub's own receipts, recipient `HUB`, header only).
    Unique by message id: a resent envelope is stored once. Bodies between nodes are sealed."""

    message_id = models.UUIDField(unique=True)
    sender = models.CharField(max_length=16)
    recipient = models.CharField(max_length=16)
    kind = models.CharField(max_length=32)
    envelope = models.TextField()
    stored_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["recipient", "delivered_at"])]


class HubEncoding(models.Model):
    reference = models.CharField(max_length=32, unique=True)
    node = models.CharField(max_length=16)
    jurisdiction = models.CharField(max_length=2)
    encoding = models.TextField()  # the encoder's own serialised form (keyed Bloom filters)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class HubSelector(models.Model):
    """A node's selector as the hub holds it: the keyed hash (HMAC-SHA256 under a key derived
    from the nodes' secret, which the hub lacks), its kind, the node and an opaque reference.
    No value, no case, no name, no jurisdiction."""

    reference = models.CharField(max_length=32, unique=True)
    node = models.CharField(max_length=16)
    kind = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "digest"])]


class HubSelectorHit(models.Model):
    """Two nodes' selectors of one kind with equal keyed hashes; notified to both nodes once."""

    left = models.ForeignKey(HubSelector, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(HubSelector, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="hub_selector_hit_once")]


class HubBlockingKey(models.Model):
    encoding = models.ForeignKey(HubEncoding, on_delete=models.CASCADE, related_name="blocking_keys")
    key = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["key"])]


class HubHit(models.Model):
    """A reference pair whose encodings matched; notified to both nodes once."""

    left = models.ForeignKey(HubEncoding, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(HubEncoding, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="hub_hit_once")]


class HubWitnessHead(models.Model):
    """A node's signed audit-chain head: once here, a node that rewrites its history no longer
    matches. The whole signed envelope is kept, so the hub cannot forge a head either."""

    node = models.CharField(max_length=16)
    count = models.PositiveBigIntegerField()
    last_id = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)
    envelope = models.TextField()
    received_at = models.DateTimeField(default=timezone.now)
    # Kept as the evidence of a witness alert (a head that goes back or forks), never as the
    # reference the next head must extend.
    evidence = models.BooleanField(default=False)

    class Meta:
        ordering = ["node", "last_id"]
        indexes = [models.Index(fields=["node", "last_id"])]


class HubWitnessAlert(models.Model):
    """What the hub saw wrong in a node's heads: one that goes back, one whose chain no longer
    holds the last head the hub held (a fork: history rewritten behind the witness), or none
    for longer than CROSSROADS_WITNESS_SILENCE. The two heads' figures are copied in `details`;
    the hub operator resolves it (`exchange witness-alerts --resolve`)."""

    node = models.CharField(max_length=16)
    kind = models.CharField(max_length=10, choices=WitnessAlertKind.choices)
    detected_at = models.DateTimeField(default=timezone.now)
    reference = models.ForeignKey(HubWitnessHead, on_delete=models.PROTECT, null=True,
                                  related_name="+")
    offending = models.ForeignKey(HubWitnessHead, on_delete=models.PROTECT, null=True,
                                  related_name="+")
    details = models.JSONField(default=dict)
    repeats = models.PositiveIntegerField(default=0)  # later heads showing the same
    last_seen_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.CharField(max_length=150, blank=True)
    resolved_at = models.DateTimeField(null=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["node", "kind", "resolved_at"])]


class HubPublication(models.Model):
    """Released aggregates a node published to the hub (already through disclosure control)."""

    node = models.CharField(max_length=16)
    name = models.CharField(max_length=100)
    body = models.JSONField()
    message_id = models.UUIDField(unique=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["node", "name", "id"]


# ---- node side: what the node learnt from the hub ---------------------------------------

class PeerNode(models.Model):
    """A peer's public keys, pinned when the hub's verified directory first listed it (kept, so
    a request can be sealed while the hub is unreachable). Keys the directory lists later in
    their place wait in `pending_*` until an administrator confirms their fingerprint
    (`exchange/pinning.py`): a hub cannot swap a peer's keys on its own."""

    code = models.CharField(max_length=16, primary_key=True)
    jurisdictions = models.JSONField(default=list)
    signing_key = models.CharField(max_length=60)
    encryption_key = models.CharField(max_length=60)
    key_id = models.CharField(max_length=40)
    fetched_at = models.DateTimeField(default=timezone.now)
    pinned_at = models.DateTimeField(default=timezone.now)
    listed = models.BooleanField(default=True)   # in the hub's last verified directory
    pending_signing_key = models.CharField(max_length=60, blank=True)
    pending_encryption_key = models.CharField(max_length=60, blank=True)
    pending_key_id = models.CharField(max_length=40, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)


class HeldEnvelope(models.Model):
    """An envelope signed with a peer's new keys that no administrator has confirmed yet: held
    (acknowledged at the hub, kept here) and taken into the inbox once the keys are confirmed."""

    message_id = models.UUIDField(unique=True)
    sender = models.CharField(max_length=16, db_index=True)
    envelope = models.TextField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class SyncQueue(models.Model):
    """Persons whose encoding may have changed (registration, edit, a case's handling code).

    Every queueing writes a fresh `version`; the sync deletes an entry only at the version it
    read, so a change queued while the sync runs (a consent withdrawn between its read and its
    delete) keeps its entry for the next round."""

    person_id = models.BigIntegerField(unique=True)
    version = models.UUIDField(default=uuid.uuid4)
    queued_at = models.DateTimeField(default=timezone.now)


class SelectorQueue(models.Model):
    """Selectors (kind and the node's digest, never the value) whose sharing may have changed:
    written by entities' imports, deleted selectors and entities, a case's handling code, a
    holder's consent. Versioned as `SyncQueue` is, for the same reason."""

    kind = models.CharField(max_length=16)
    digest = models.CharField(max_length=32)
    version = models.UUIDField(default=uuid.uuid4)
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "digest"], name="selector_queued_once")]

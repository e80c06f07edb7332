"""Appending to and verifying the audit chain. Every surface calls these functions."""

import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from crossroads.keys import keyring

from .chain import GENESIS, entry_mac
from .choices import Action, Outcome
from .models import AuditEntry, ChainHead
from .verification import VerifyResult, verify_chain  # noqa: F401  (the surfaces import them here)

current_purpose: ContextVar[str] = ContextVar("current_purpose", default="")

MAX_PURPOSE = 200  # the entry's field


def purpose_problem(value: str) -> str | None:
    """Why `value` cannot be an entry's purpose, or None: a purpose is one line of at most
    MAX_PURPOSE characters, without control or invisible format characters (nothing that could
    forge a line of a report or hide what it says)."""
    if len(value) > MAX_PURPOSE:
        return "too_long"
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in value):
        return "control"
    return None


@contextmanager
def stated_purpose(value: str):
    """Entries recorded inside the block carry `value` as their purpose (a page's purpose of
    access); outside it, the purpose the request came with again."""
    if purpose_problem(value):
        raise ValueError("not a valid purpose")
    token = current_purpose.set(value)
    try:
        yield
    finally:
        current_purpose.reset(token)


def record(actor, action: str, obj=None, *, object_type: str = "", object_id="",
           purpose: str | None = None, outcome: str = Outcome.OK, details: dict | None = None,
           jurisdiction: str | None = None) -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction, if any)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    values = {
        "at": timezone.now(),
        "actor_id": actor.pk if authenticated else None,
        "actor": actor.get_username() if authenticated else "",
        "role": getattr(actor, "role", "") if authenticated else "",
        "agency_id": getattr(actor, "agency_id", None) if authenticated else None,
        "jurisdiction": jurisdiction or (actor.jurisdiction_id if authenticated else "") or "",
        "action": str(action),
        "object_type": object_type,
        "object_id": str(object_id or ""),
        "purpose": current_purpose.get() if purpose is None else purpose,
        "outcome": str(outcome),
        "details": details or {},
    }
    pending = _pending.get()
    if pending is not None:
        pending.append(values)
        return AuditEntry(**values)
    return _append([values])[0]


def _append(batch: list[dict]) -> list[AuditEntry]:
    """Chain and insert entries under the head's lock, held only for these inserts."""
    with transaction.atomic():
        try:
            head = ChainHead.objects.select_for_update().get(pk=1)
        except ChainHead.DoesNotExist:
            head = ChainHead.objects.create(pk=1, last_id=0, last_hash=GENESIS, last_seq=0)
        kid, key = _current_audit_key(head)
        previous, seq = head.last_hash, head.last_seq
        entries = []
        for values in batch:
            seq += 1
            values.update(prev_hash=previous, seq=seq, key_id=kid)
            values["hash"] = previous = entry_mac(values, key)
            entries.append(AuditEntry.objects.create(**values))
        ChainHead.objects.filter(pk=1).update(last_id=entries[-1].pk, last_hash=previous, last_seq=seq)
    return entries


def _current_audit_key(head: ChainHead) -> tuple[str, bytes]:
    """The audit key new entries are chained with. The first one is made here if the keyring has
    none yet (normally the migration made it), sealing the unkeyed chain at the current head."""
    audit = keyring.load().audit
    if audit is None:
        keyring.add_audit_key(sealed=_seal(head))
        audit = keyring.load().audit
    return audit.current, audit.keys[audit.current]


def _seal(head: ChainHead | None) -> dict:
    if head is None:
        return {"last_id": 0, "last_hash": GENESIS, "count": 0}
    return {"last_id": head.last_id, "last_hash": head.last_hash, "count": head.last_seq}


def rotate_audit_key() -> str:
    """Chain new entries with a fresh audit key; entries made before keep verifying with theirs."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        sealed = None if keyring.load().audit is not None else _seal(head)
        kid = keyring.add_audit_key(sealed=sealed)
    record(None, Action.UPDATE, object_type="keys.auditkey", object_id=kid)
    return kid


_pending: ContextVar[list | None] = ContextVar("pending_audit", default=None)


@contextmanager
def deferred():
    """Collect the entries of a multi-step action and append them together at the end, so
    the chain's lock is held for a moment instead of for the whole action. Use inside the
    action's transaction: if it fails, nothing is appended (and nothing was written)."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set([])
    try:
        yield
        batch = _pending.get()
    finally:
        _pending.reset(token)
    if batch:
        _append(batch)


def record_denied(actor, model, lookup: dict, action: str) -> AuditEntry:
    object_type = model._meta.label_lower if model is not None else ""
    object_id = lookup.get("pk", lookup.get("id", "")) if lookup else ""
    return record(actor, Action.DENIED, object_type=object_type, object_id=object_id,
                  outcome=Outcome.DENIED, details={"attempted": action, **{
                      k: str(v) for k, v in lookup.items() if k not in {"pk", "id"}}})


def record_reads(actor, persons, *, context: str, grants=(), case: int | None = None) -> None:
    """One entry per page or response that shows identities, naming every person shown (and
    the case whose summary is shown) and the break-glass grant(s) the read used. Called by
    `registry.queries.record_identity_read`, which knows the grants."""
    persons = list(persons)
    if not persons:
        return
    details = {"via": context, **({"case": case} if case else {})}
    if grants:
        details["break_glass"] = grants
    if len(persons) == 1:
        record(actor, Action.READ_IDENTITY, persons[0], details=details)
        return
    ids = [p.pk for p in persons if p._meta.label_lower == "registry.person"]
    cases = [p.pk for p in persons if p._meta.label_lower == "registry.case"]
    if cases:
        details["cases"] = cases
    record(actor, Action.READ_IDENTITY, object_type="registry.person",
           details={**details, "ids": ids})

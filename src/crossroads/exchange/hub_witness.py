"""The hub as a witness that speaks: it checks each node's signed audit head as it arrives and
raises an alert when one goes back (fewer entries, or an earlier last entry, than the head it
holds), forks (the node's chain, at the entry of the head the hub holds, no longer has that
hash or that many entries up to it: history rewritten behind the witness) or stops arriving
(`check_silence`, run by the hub's worker). An offending head is kept as evidence, never as
the reference the next head must extend. Each new alert is stored for the hub operator
(`crossroads exchange witness-alerts`) and posted to the node, whose worker hands it to its
oversight (`oversight.services.witness`).

Every head but a node's first carries `prior`: what the node's chain holds *now* at the entry
of the last head the hub holds (`last_id`, the `hash` of that entry and the `count` of entries
up to it), signed with the rest. Runs in hub mode only, inside `hub.receive`'s transaction.
"""

import datetime
import re

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .choices import WitnessAlertKind
from .models import HubNode, HubWitnessAlert, HubWitnessHead

HASH = re.compile(r"[0-9a-f]{64}")


class BadHead(ValueError):
    """A head the hub refuses outright (malformed, or proving nothing about the last one)."""


def _number(body: dict, name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadHead(f"witness head: {name} must be a whole number, 0 or more")
    return value


def _hash(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not HASH.fullmatch(value):
        raise BadHead(f"witness head: {name} must be 64 hexadecimal digits")
    return value


def parse(body) -> tuple[int, int, str, dict | None]:
    """count, last_id, last_hash and prior (or None) of a head's body; BadHead if malformed."""
    if not isinstance(body, dict):
        raise BadHead("witness head: count, last_id and last_hash")
    count, last_id, last_hash = _number(body, "count"), _number(body, "last_id"), _hash(body, "last_hash")
    prior = body.get("prior")
    if prior is not None:
        if not isinstance(prior, dict):
            raise BadHead("witness head: prior must hold last_id, count and hash")
        prior = {"last_id": _number(prior, "last_id"), "count": _number(prior, "count"),
                 "hash": _hash(prior, "hash")}
    return count, last_id, last_hash, prior


def reference(node: str) -> HubWitnessHead | None:
    """The last head of the node the hub took as its reference (not evidence)."""
    return HubWitnessHead.objects.filter(node=node, evidence=False).order_by("-id").first()


def figures(head: HubWitnessHead | None, prior: dict | None = None) -> dict | None:
    if head is None:
        return None
    found = {"count": head.count, "last_id": head.last_id, "last_hash": head.last_hash,
             "received_at": head.received_at.isoformat()}
    if prior is not None:
        found["prior"] = prior
    return found


def take(node: HubNode, body, envelope_text: str) -> HubWitnessAlert | None:
    """Take one signed head: the new reference when it extends the last one, else evidence of
    the alert it raises (returned)."""
    count, last_id, last_hash, prior = parse(body)
    held = reference(node.code)
    kind = None
    if held is not None:
        if last_id < held.last_id or count < held.count:
            kind = WitnessAlertKind.GO_BACK
        elif prior is None or prior["last_id"] != held.last_id:
            raise BadHead(f"witness head: it must say what the chain now holds at entry "
                          f"{held.last_id}, the last head the hub holds")
        elif prior["hash"] != held.last_hash or prior["count"] != held.count:
            kind = WitnessAlertKind.FORK
    head = HubWitnessHead.objects.create(node=node.code, count=count, last_id=last_id,
                                         last_hash=last_hash, envelope=envelope_text,
                                         evidence=kind is not None)
    if kind is None:
        return None
    return raise_alert(node, kind, held, head, {"reference": figures(held),
                                                "offending": figures(head, prior)})


def raise_alert(node: HubNode, kind: str, held: HubWitnessHead | None,
                offending: HubWitnessHead | None, details: dict) -> HubWitnessAlert:
    """A new alert, posted to the node; an unresolved one of that kind for that node counts
    one more repeat instead (its offending head becomes the latest)."""
    from .hub import post

    now = timezone.now()
    open_one = HubWitnessAlert.objects.filter(node=node.code, kind=kind,
                                              resolved_at__isnull=True).first()
    if open_one is not None and kind != WitnessAlertKind.SILENT:
        HubWitnessAlert.objects.filter(pk=open_one.pk).update(
            repeats=open_one.repeats + 1, last_seen_at=now, offending=offending)
        return open_one
    alert = HubWitnessAlert.objects.create(node=node.code, kind=kind, detected_at=now,
                                           last_seen_at=now, reference=held, offending=offending,
                                           details=details)
    post(node.code, "witness.alert", {
        "alert": alert.pk, "kind": kind, "detected_at": now.isoformat(),
        "jurisdictions": list(node.jurisdictions), **details})
    return alert


def silence() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.CROSSROADS_WITNESS_SILENCE)


def silent_nodes(now: datetime.datetime | None = None) -> list[tuple[HubNode, datetime.datetime]]:
    """Active nodes whose last head (or registration, before any head) is older than the
    silence, and that no silent alert named within the last silence period."""
    now = now or timezone.now()
    since = now - silence()
    last_heads = dict(HubWitnessHead.objects.values("node").annotate(last=Max("received_at"))
                      .values_list("node", "last"))
    told = set(HubWitnessAlert.objects.filter(kind=WitnessAlertKind.SILENT, detected_at__gt=since)
               .values_list("node", flat=True))
    found = []
    for node in HubNode.objects.filter(active=True).exclude(code__in=told):
        last = last_heads.get(node.code) or node.registered_at
        if last < since:
            found.append((node, last))
    return found


def check_silence(now: datetime.datetime | None = None) -> list[HubWitnessAlert]:
    """A silent alert for each node silent too long (once per silence period)."""
    now = now or timezone.now()
    raised = []
    for node, last in silent_nodes(now):
        held = reference(node.code)
        raised.append(raise_alert(node, WitnessAlertKind.SILENT, held, None, {
            "reference": figures(held), "offending": None, "last_head_at": last.isoformat(),
            "silence_hours": settings.CROSSROADS_WITNESS_SILENCE}))
    return raised


def alerts(*, everything: bool = False):
    found = HubWitnessAlert.objects.all()
    return found if everything else found.filter(resolved_at__isnull=True)


def resolve(alert_id: int, by: str, note: str) -> HubWitnessAlert:
    """The operator has looked into it (with the node's oversight): resolved, and a fork's or a
    go-back's latest offending head becomes the reference the witness watches from."""
    by, note = by.strip()[:150], note.strip()[:2000]
    if not by:
        raise BadHead("say who resolves the alert (--by)")
    if not note:
        raise BadHead("say why the alert is resolved (--note)")
    with transaction.atomic():
        alert = HubWitnessAlert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            raise BadHead(f"no witness alert {alert_id}")
        if alert.resolved_at is not None:
            raise BadHead(f"witness alert {alert_id} was resolved already")
        alert.resolved_by, alert.resolution, alert.resolved_at = by, note, timezone.now()
        alert.save(update_fields=["resolved_by", "resolution", "resolved_at"])
        if alert.offending_id is not None:
            HubWitnessHead.objects.filter(pk=alert.offending_id).update(evidence=False)
    return alert

"""The hub's witness alerts on this node (the `witness.alert` inbox handler): the hub saw this
node's audit head go back, fork (history rewritten behind the witness) or stop arriving. Each
becomes an access alert of kind `witness` for the oversight of every jurisdiction the node
serves, explained with the two heads the hub compared, and the local entry at stake. Only
oversight sees it (`rules.alert_rule`): nobody else is told, the insider least of all."""

import re

from django.utils import timezone

from crossroads.access.models import Jurisdiction
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import record
from crossroads.exchange import transport
from crossroads.exchange.choices import WitnessAlertKind
from crossroads.exchange.envelope import EnvelopeError, parse_ts
from crossroads.exchange.identity import HUB_ID

from ..choices import AlertKind, Severity
from ..models import Alert

HASH = re.compile(r"[0-9a-f]{64}")


def _number(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError
    return value


def _head(figures) -> dict | None:
    """A head's figures as the hub sent them, checked; None when there is none."""
    if figures is None:
        return None
    if not isinstance(figures, dict) or not HASH.fullmatch(str(figures.get("last_hash", ""))):
        raise ValueError
    head = {"count": _number(figures["count"]), "last_id": _number(figures["last_id"]),
            "last_hash": figures["last_hash"], "received_at": str(figures.get("received_at", ""))[:40]}
    prior = figures.get("prior")
    if prior is not None:
        if not isinstance(prior, dict) or not HASH.fullmatch(str(prior.get("hash", ""))):
            raise ValueError
        head["prior"] = {"last_id": _number(prior["last_id"]), "count": _number(prior["count"]),
                         "hash": prior["hash"]}
    return head


def describe(head: dict | None) -> str:
    if head is None:
        return "—"
    text = f"{head['count']} entries, last entry {head['last_id']}, hash {head['last_hash']}"
    if "prior" in head:
        prior = head["prior"]
        text += (f"; says entry {prior['last_id']} now has hash {prior['hash']} and "
                 f"{prior['count']} entries up to it")
    return text


@transport.handler("witness.alert")
def _received_witness_alert(message, header, body) -> None:
    if message.sender != HUB_ID:
        raise EnvelopeError("witness alerts come from the hub only")
    try:
        hub_alert, kind = _number(body["alert"]), str(body["kind"])
        if kind not in WitnessAlertKind.values:
            raise ValueError
        detected = parse_ts(str(body["detected_at"]))
        held, received = _head(body.get("reference")), _head(body.get("offending"))
        served = [str(code)[:2] for code in body.get("jurisdictions") or []]
    except (KeyError, TypeError, ValueError, EnvelopeError):
        raise EnvelopeError("malformed witness alert") from None
    jurisdictions = list(Jurisdiction.objects.filter(code__in=served).values_list("code", flat=True))
    if not jurisdictions:
        raise EnvelopeError("witness alert for no jurisdiction of this node")
    at_stake = [held["last_id"]] if held and AuditEntry.objects.filter(id=held["last_id"]).exists() else []
    facts = {"hub_saw": kind, "hub_alert": hub_alert, "head_held_by_hub": describe(held),
             "head_received": describe(received) if kind != WitnessAlertKind.SILENT else "—",
             "detected_at": detected.isoformat()}
    if kind == WitnessAlertKind.SILENT:
        facts["last_head_at"] = str(body.get("last_head_at", ""))[:40]
        facts["silence_hours"] = str(body.get("silence_hours", ""))[:10]
    severity = Severity.MEDIUM if kind == WitnessAlertKind.SILENT else Severity.HIGH
    for code in jurisdictions:
        alert, created = Alert.objects.get_or_create(
            fingerprint=f"witness:{hub_alert}:{code}", defaults={
                "kind": AlertKind.WITNESS, "jurisdiction": code, "severity": severity,
                "entries": at_stake, "facts": facts, "first_at": detected,
                "last_at": detected, "raised_at": timezone.now()})
        if created:
            record(None, Action.CREATE, alert, jurisdiction=code, details={
                "exchange": "witness.alert", "message": str(message.message_id),
                "hub_alert": hub_alert, "kind": kind})


"""The witness speaks: the hub checks each signed audit head as it arrives and raises an alert
when one goes back, forks (history rewritten behind the witness) or stops arriving; the alert
is stored for the hub operator and reaches the node's oversight as an access alert; and
`audit verify --against-witness` compares the chain with the heads the hub holds."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.audit.chain import KEYED_FIELDS, entry_mac
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry, ChainHead
from crossroads.audit.services import record
from crossroads.exchange import hub, hub_witness, tasks, transport, witness
from crossroads.exchange.envelope import build
from crossroads.exchange.hub import HubRefusal
from crossroads.exchange.models import HubMessage, HubNode, HubWitnessAlert, HubWitnessHead
from crossroads.keys import keyring
from crossroads.oversight.models import Alert
from tests.conftest import APPEND_ONLY_REVERSE

from .conftest import to_hub
from .loopback import wait_for

pytestmark = pytest.mark.django_db
ALERTS = "/api/v1/oversight/alerts"


def head(parties, last_id, *, count=None, last_hash="a" * 64, prior=None, signer="AL"):
    """A crafted head from `signer`, received at the hub as from AL."""
    body = {"count": last_id if count is None else count, "last_id": last_id,
            "last_hash": last_hash}
    if prior is not None:
        body["prior"] = prior
    envelope = build(parties.identity(signer), recipient="HUB", kind="witness.head", body=body)
    with parties.acting_as("HUB"):
        return hub.receive(HubNode.objects.get(code="AL"), envelope)


def to_node(parties, code="AL") -> int:
    """Hand the node's mailbox at the hub to the node and process its inbox, as its worker does."""
    rows = list(HubMessage.objects.filter(recipient=code, delivered_at__isnull=True))
    with parties.acting_as(code):
        for row in rows:
            transport.accept(json.loads(row.envelope))
        HubMessage.objects.filter(pk__in=[r.pk for r in rows]).update(delivered_at=timezone.now())
        return transport.process()


@pytest.fixture
def the_hub(joined, monkeypatch):
    """The node's calls to the hub's witness answered by the hub in this process."""

    def call_hub(path, payload=None):
        assert path == "witness"
        with joined.acting_as("HUB"):
            return hub.witness_heads(HubNode.objects.get(code="AL"))

    monkeypatch.setattr(transport, "call_hub", call_hub)
    return joined


def rewrite_behind_the_witness(entry_id: int) -> None:
    """What an insider with the database and the key file does: change one entry and recompute
    every MAC after it, so that the chain verifies on its own again."""
    keys = keyring.load().audit.keys
    with connection.cursor() as cursor:
        for statement in APPEND_ONLY_REVERSE.get(connection.vendor, []):
            cursor.execute(statement)
    previous = None
    for entry in AuditEntry.objects.filter(id__gte=entry_id).order_by("id"):
        values = {name: getattr(entry, name) for name in KEYED_FIELDS}
        if entry.pk == entry_id:
            values["details"] = {"nothing": "to see"}
        if previous is not None:
            values["prev_hash"] = previous
        previous = entry_mac(values, keys[entry.key_id])
        AuditEntry.objects.filter(pk=entry.pk).update(details=values["details"],
                                                      prev_hash=values["prev_hash"], hash=previous)
    ChainHead.objects.filter(pk=1).update(last_hash=previous)


def test_heads_that_extend_the_last_one_become_the_reference(world, the_hub):
    with the_hub.acting_as("AL"):
        witness.send_head()
        assert to_hub(the_hub, "AL") == ["done"]
        first = hub_witness.reference("AL")
        record(world.user(Role.INVESTIGATOR), Action.READ_IDENTITY, world.persons["AL-victim"])
        witness.send_head()
        sent = json.loads(transport.OutboxMessage.objects.order_by("-id").first().envelope)["body"]
        assert sent["prior"] == {"last_id": first.last_id, "hash": first.last_hash,
                                 "count": first.count}
        assert to_hub(the_hub, "AL") == ["done"]
    assert hub_witness.reference("AL").last_id > first.last_id
    assert not HubWitnessAlert.objects.exists() and not HubMessage.objects.filter(
        kind="witness.alert").exists()


def test_a_head_that_goes_back_is_evidence_of_an_alert_not_the_reference(joined):
    assert head(joined, 10) == "done"
    assert head(joined, 5) == "done"  # kept, not refused: the hub speaks
    assert head(joined, 12, count=3, prior={"last_id": 10, "count": 10, "hash": "a" * 64}) == "done"
    alert = HubWitnessAlert.objects.get()
    assert (alert.node, alert.kind, alert.repeats) == ("AL", "go_back", 1)
    assert alert.details["reference"]["last_id"] == 10
    assert alert.details["offending"]["last_id"] == 5
    assert hub_witness.reference("AL").last_id == 10
    assert HubWitnessHead.objects.filter(evidence=True).count() == 2
    # One message to the node, not one per offending head.
    assert HubMessage.objects.filter(recipient="AL", kind="witness.alert").count() == 1


def test_a_head_that_no_longer_holds_the_last_one_is_a_fork(joined):
    assert head(joined, 10) == "done"
    assert head(joined, 14, prior={"last_id": 10, "count": 10, "hash": "b" * 64}) == "done"
    alert = HubWitnessAlert.objects.get()
    assert alert.kind == "fork" and alert.details["offending"]["prior"]["hash"] == "b" * 64
    # Entries removed behind the witness, hashes recomputed: the count up to it tells.
    assert head(joined, 15, prior={"last_id": 10, "count": 9, "hash": "a" * 64}) == "done"
    assert HubWitnessAlert.objects.get().repeats == 1
    assert hub_witness.reference("AL").last_id == 10
    assert head(joined, 16, prior={"last_id": 10, "count": 10, "hash": "a" * 64}) == "done"
    assert hub_witness.reference("AL").last_id == 16  # an honest head extends it again


def test_a_head_that_proves_nothing_or_is_malformed_is_refused_and_not_kept(joined):
    assert head(joined, 10) == "done"
    with pytest.raises(HubRefusal, match="entry 10"):
        head(joined, 12)  # says nothing of entry 10
    with pytest.raises(HubRefusal, match="entry 10"):
        head(joined, 12, prior={"last_id": 9, "count": 9, "hash": "a" * 64})
    with pytest.raises(HubRefusal, match="prior"):
        head(joined, 12, prior="a" * 64)
    with pytest.raises(HubRefusal, match="last_hash"):
        head(joined, 12, last_hash="not a hash")
    with pytest.raises(HubRefusal, match="count"):
        head(joined, 12, count=-1)
    assert HubWitnessHead.objects.count() == 1 and not HubWitnessAlert.objects.exists()


def test_a_forged_head_is_refused_and_never_the_reference(joined):
    assert head(joined, 10) == "done"
    with pytest.raises(HubRefusal):  # signed by RS, claimed from AL
        head(joined, 20, prior={"last_id": 10, "count": 10, "hash": "a" * 64}, signer="RS")
    envelope = build(joined.identity("AL"), recipient="HUB", kind="witness.head",
                     body={"count": 20, "last_id": 20, "last_hash": "c" * 64,
                           "prior": {"last_id": 10, "count": 10, "hash": "a" * 64}})
    envelope["body"]["prior"]["hash"] = "b" * 64  # altered on the way: a fork in someone's name
    with joined.acting_as("HUB"), pytest.raises(HubRefusal):
        hub.receive(HubNode.objects.get(code="AL"), envelope)
    assert hub_witness.reference("AL").last_id == 10
    assert HubWitnessHead.objects.count() == 1 and not HubWitnessAlert.objects.exists()


def test_silence_raises_one_alert_per_silence_period(joined, settings):
    settings.CROSSROADS_WITNESS_SILENCE = 26
    assert head(joined, 10) == "done"
    HubWitnessHead.objects.update(received_at=timezone.now() - datetime.timedelta(hours=27))
    HubNode.objects.filter(code="RS").update(registered_at=timezone.now())  # RS just joined
    with joined.acting_as("HUB"):
        assert [n.code for n, _last in hub_witness.silent_nodes()] == ["AL"]
        assert tasks.witness_silence_due() == 1  # the hub's worker queues the check
        assert tasks.witness_silence_due() == 0  # one at a time
        raised = hub_witness.check_silence()
        assert [(a.node, a.kind) for a in raised] == [("AL", "silent")]
        assert hub_witness.check_silence() == []  # once per silence period
        later = timezone.now() + datetime.timedelta(hours=27)
        assert [a.node for a in hub_witness.check_silence(later)] == ["AL", "RS"]
    assert HubWitnessAlert.objects.filter(node="AL", kind="silent").count() == 2
    with joined.acting_as("AL"):
        assert tasks.witness_silence_due() == 0  # a node has no silence to watch


def test_the_alert_reaches_the_nodes_oversight_and_no_one_else(world, joined):
    assert head(joined, 10) == "done"
    assert head(joined, 14, prior={"last_id": 10, "count": 10, "hash": "b" * 64}) == "done"
    assert to_node(joined) == 1
    alert = Alert.objects.get(kind="witness")
    assert (alert.jurisdiction, alert.severity, alert.status) == ("AL", "high", "open")
    assert alert.facts["hub_saw"] == "fork" and "b" * 64 in alert.facts["head_received"]
    assert AuditEntry.objects.filter(action="create", object_type="oversight.alert",
                                     object_id=str(alert.pk)).exists()
    listed = world.api(Role.OVERSIGHT).get(ALERTS, {"kind": "witness"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == alert.pk
    page = world.client(Role.OVERSIGHT).get(f"/oversight/alerts/{alert.pk}/")
    assert page.status_code == 200 and "rewritten behind the witness" in page.content.decode()
    for role in (Role.INVESTIGATOR, Role.FOCAL_POINT, Role.ADMINISTRATOR):
        assert world.api(role).get(ALERTS).status_code == 403
        assert world.client(role).get(f"/oversight/alerts/{alert.pk}/").status_code in {403, 404}
    assert world.api(Role.OVERSIGHT, "RS").get(ALERTS).json()["count"] == 0
    assert to_node(joined) == 0  # nothing twice


def test_a_witness_alert_from_a_node_is_set_aside(world, joined):
    rs = joined.identity("RS")
    envelope = build(rs, recipient="AL", kind="witness.alert", recipient_peer=joined.peer("AL"),
                     body={"alert": 1, "kind": "fork", "detected_at": timezone.now().isoformat(),
                           "jurisdictions": ["AL"], "reference": None, "offending": None})
    with joined.acting_as("AL"):
        transport.accept(envelope)
        transport.process()
    assert not Alert.objects.filter(kind="witness").exists()
    assert transport.InboxMessage.objects.get().error == "witness alerts come from the hub only"


def test_the_operator_lists_and_resolves_alerts_at_the_hub(joined):
    assert head(joined, 10) == "done"
    assert head(joined, 14, prior={"last_id": 10, "count": 10, "hash": "b" * 64}) == "done"
    alert = HubWitnessAlert.objects.get()
    with joined.acting_as("HUB"):
        out = io.StringIO()
        call_command("exchange", "witness-alerts", stdout=out)
        assert f"#{alert.pk} AL fork" in out.getvalue() and "says entry 10 is now bbbb" in out.getvalue()
        with pytest.raises(CommandError, match="--note"):
            call_command("exchange", "witness-alerts", "--resolve", str(alert.pk), "--by", "ops")
        with pytest.raises(CommandError, match="no witness alert"):
            call_command("exchange", "witness-alerts", "--resolve", "999", "--by", "o", "--note", "n")
        call_command("exchange", "witness-alerts", "--resolve", str(alert.pk), "--by", "ops",
                     "--note", "restored from backup, checked with AL's ombudsman", stdout=io.StringIO())
        out = io.StringIO()
        call_command("exchange", "witness-alerts", stdout=out)
        assert out.getvalue().strip() == "no witness alert open"
        out = io.StringIO()
        call_command("exchange", "witness-alerts", "--all", stdout=out)
        assert "resolved by ops" in out.getvalue()
    assert hub_witness.reference("AL").last_id == 14  # the witness watches from there
    with joined.acting_as("AL"), pytest.raises(CommandError, match="hub command"):
        call_command("exchange", "witness-alerts")


def _verify(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as stop:
        code = stop.code
    return code, out.getvalue() + err.getvalue()


def test_audit_verify_against_the_witness(world, the_hub):
    with the_hub.acting_as("AL"):
        witness.send_head()
        to_hub(the_hub, "AL")
        code, said = _verify("--against-witness")
        assert code == 0 and "matches the hub's 1 head(s)" in said, said
        assert _verify()[0] == 0  # without the flag, as before
        first = AuditEntry.objects.order_by("id").values_list("id", flat=True)[3]
        rewrite_behind_the_witness(first)
        code, said = _verify()
        assert code == 0  # locally consistent: only the witness can tell
        code, said = _verify("--against-witness")
        assert code == 1 and "differs from the head the hub holds" in said, said
        # The next head raises the hub's alert.
        witness.send_head()
        assert to_hub(the_hub, "AL") == ["done"]
    assert HubWitnessAlert.objects.get().kind == "fork"


def test_audit_verify_against_an_unreachable_witness_fails(world, joined):
    with joined.acting_as("AL"):
        code, said = _verify("--against-witness")
    assert code == 1 and "the witness could not be asked" in said


@pytest.mark.loopback
def test_a_rewritten_head_raises_the_hubs_alert_in_a_region(region):
    from .test_loopback_witness import REWRITE

    node = region.node("MK")
    status, body = node.api("POST", "/registrations", "investigator", {
        "person": {"given_names": "Elena", "family_name": "Stojanovska", "sex": "F"},
        "exploitation": {"forms": ["forced_labour"]}})
    assert status == 201, body
    node.start_worker()
    wait_for(lambda: region.hub.query("SELECT COUNT(*) FROM exchange_hubwitnesshead "
                                      "WHERE node='MK'")[0][0], message="MK's first head",
             region=region)
    assert node.cli("audit", "verify", "--against-witness").returncode == 0
    node.cli("shell", "-c", REWRITE)  # behind the witness's back
    node.cli("exchange", "witness-send")  # the next head (the worker sends it in five minutes)
    wait_for(lambda: region.hub.query("SELECT COUNT(*) FROM exchange_hubwitnessalert "
                                      "WHERE node='MK' AND kind='fork'")[0][0],
             message="the hub's fork alert", region=region)
    assert "MK fork" in region.hub.cli("exchange", "witness-alerts").stdout
    wait_for(lambda: node.query("SELECT COUNT(*) FROM oversight_alert WHERE kind='witness'")[0][0],
             message="MK's oversight told", region=region)
    result = node.cli("audit", "verify", "--against-witness", check=False)
    assert result.returncode == 1 and "differs from the head the hub holds" in result.stderr

"""The hub as witness: a node that rewrites its audit history — even recomputing every MAC with
the audit key from its keyring, so that its own verification passes — no longer matches the
heads the hub holds."""

import pytest

from .loopback import wait_for

pytestmark = pytest.mark.loopback

REWRITE = """
from django.db import connection
from crossroads.audit.chain import GENESIS, KEYED_FIELDS, entry_mac
from crossroads.audit.models import AuditEntry, ChainHead
from crossroads.keys import keyring
audit_keys = keyring.load().audit.keys  # an attacker who holds the key file too
with connection.cursor() as cursor:
    cursor.execute("DROP TRIGGER audit_entry_no_update")
previous = GENESIS
for entry in AuditEntry.objects.order_by("id"):
    values = {name: getattr(entry, name) for name in KEYED_FIELDS}
    if entry.pk == AuditEntry.objects.order_by("id").first().pk:
        values["details"] = {"rewritten": True}
    values["prev_hash"] = previous
    previous = entry_mac(values, audit_keys[entry.key_id])
    AuditEntry.objects.filter(pk=entry.pk).update(details=values["details"], prev_hash=values["prev_hash"],
                                                  hash=previous)
ChainHead.objects.filter(pk=1).update(last_hash=previous)
"""


def test_a_rewritten_history_no_longer_matches_the_hub(region):
    me = region.node("ME")
    status, body = me.api("POST", "/registrations", "investigator", {
        "person": {"given_names": "Milica", "family_name": "Vuković", "sex": "F"},
        "exploitation": {"forms": ["forced_begging"]}})
    assert status == 201, body  # the chain has entries now
    me.start_worker()  # its first round sends the audit head
    wait_for(lambda: region.hub.query("SELECT COUNT(*) FROM exchange_hubwitnesshead WHERE node='ME'")
             [0][0], message="ME's first head", region=region)
    heads = region.hub.query("SELECT COUNT(*) FROM exchange_hubwitnesshead WHERE node='ME'")[0][0]
    assert heads >= 1
    assert f"matches the hub's {heads} head(s)" in me.cli("exchange", "witness-check").stdout

    me.cli("shell", "-c", REWRITE)
    assert me.cli("audit", "verify", check=False).returncode == 0  # locally consistent again
    result = me.cli("exchange", "witness-check", check=False)
    assert result.returncode != 0
    assert "differs from the head the hub holds" in result.stderr

    # A fresh head does not launder the rewrite: the older heads stay at the hub.
    me.cli("exchange", "witness-send")
    wait_for(lambda: region.hub.query("SELECT COUNT(*) FROM exchange_hubwitnesshead WHERE node='ME'")
             [0][0] > heads, message="ME's later head", region=region)
    assert me.cli("exchange", "witness-check", check=False).returncode != 0

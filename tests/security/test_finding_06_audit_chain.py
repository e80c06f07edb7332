"""Finding 6: the audit chain could be recomputed. Someone with write access to the database
dropped the triggers, deleted entries, rehashed the rest with SHA-256 and `audit verify` said
intact. Now each entry is an HMAC under an audit key kept in the keyring file, sequence numbers
have no gaps, and a signed checkpoint kept outside the node names what went missing since."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from crossroads.audit.chain import GENESIS, HASHED_FIELDS, entry_hash
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import record, verify_chain
from crossroads.exchange import identity
from crossroads.keys import keyring
from tests.audit.test_chain import drop_triggers, verify_command


def entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("id"))


def execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rehash_with_sha256(*, keep_key_ids: bool) -> None:
    """What an attacker with database write access but without the key file can do: recompute
    every hash (and the head) in plain SHA-256, keeping or dropping the keyed columns."""
    previous, seq, last_id = GENESIS, 0, 0
    for entry in entries():
        seq += 1
        values = {name: getattr(entry, name) for name in HASHED_FIELDS}
        values["prev_hash"] = previous
        previous, last_id = entry_hash(values), entry.pk
        execute("UPDATE audit_auditentry SET prev_hash = %s, hash = %s, seq = %s, key_id = %s "
                "WHERE id = %s", [values["prev_hash"], previous, seq if keep_key_ids else None,
                                  entry.key_id if keep_key_ids else None, entry.pk])
    set_head(last_id, previous, seq)


def set_head(last_id: int, last_hash: str, last_seq: int) -> None:
    execute("UPDATE audit_chainhead SET last_id = %s, last_hash = %s, last_seq = %s WHERE id = 1",
            [last_id, last_hash, last_seq])


def delete_entries(ids) -> None:
    ids = list(ids)
    execute(f"DELETE FROM audit_auditentry WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)  # noqa: S608


def take_checkpoint(tmp_path, name="checkpoint.json") -> dict:
    path = tmp_path / name
    call_command("audit_checkpoint", "--out", str(path), stdout=io.StringIO())
    return json.loads(path.read_text())


@pytest.fixture
def no_node_key(settings, tmp_path):
    """A node outside the exchange: checkpoints are signed with an HMAC under the audit key."""
    settings.CROSSROADS_NODE_KEY_FILE = str(tmp_path / "no-node-key.json")


def test_finding_6_entries_are_macs_under_the_audit_key_not_plain_hashes(world):
    audit = keyring.load().audit
    chain = entries()
    assert chain and all(e.key_id == audit.current for e in chain)
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    values = {name: getattr(chain[0], name) for name in HASHED_FIELDS}
    assert chain[0].hash != entry_hash(values)


@pytest.mark.parametrize("keep_key_ids", [True, False], ids=["keyed-columns-kept", "made-unkeyed"])
def test_finding_6_deleted_entries_and_a_sha256_rehash_are_detected(world, keep_key_ids):
    chain = entries()
    drop_triggers()
    delete_entries(e.pk for e in chain[4:8])
    rehash_with_sha256(keep_key_ids=keep_key_ids)
    result = verify_chain()
    assert not result.ok and result.broken_id == chain[0].pk  # every rehashed entry is named
    code, output = verify_command()
    assert code == 1 and "BROKEN" in output
    reason = "does not match its MAC" if keep_key_ids else "unkeyed entry after the chain was keyed"
    assert reason in output


def test_finding_6_a_gap_is_named_by_its_sequence_numbers(world):
    chain = entries()
    drop_triggers()
    delete_entries(e.pk for e in chain[3:6])  # seq 4–6
    code, output = verify_command()
    assert code == 1
    assert f"entries seq 4–6 missing between entry {chain[2].pk} and entry {chain[6].pk}" in output


def test_finding_6_truncated_tail_is_named_against_a_checkpoint(world, tmp_path, no_node_key):
    checkpoint = take_checkpoint(tmp_path)
    assert checkpoint["signature"]["scheme"] == "hmac-sha256"
    assert verify_command("--checkpoint", str(tmp_path / "checkpoint.json"))[0] == 0
    chain = entries()  # the checkpoint's own export entry is the last one
    seq = checkpoint["seq"]
    drop_triggers()
    kept = [e for e in chain if e.seq <= seq - 5]
    delete_entries(e.pk for e in chain if e.seq > seq - 5)
    set_head(kept[-1].pk, kept[-1].hash, kept[-1].seq)  # the head made to agree
    assert verify_command()[0] == 0  # without the checkpoint a clean truncation cannot be seen
    code, output = verify_command("--checkpoint", str(tmp_path / "checkpoint.json"))
    assert code == 1
    assert (f"entries seq {seq - 4}–{seq} missing since the checkpoint of {checkpoint['at']}"
            in output)


def test_finding_6_a_tail_replaced_by_new_entries_differs_from_the_checkpoint(world, tmp_path,
                                                                               no_node_key):
    checkpoint = take_checkpoint(tmp_path)
    chain = entries()
    drop_triggers()
    kept = [e for e in chain if e.seq <= checkpoint["seq"] - 3]
    delete_entries(e.pk for e in chain if e.seq > checkpoint["seq"] - 3)
    set_head(kept[-1].pk, kept[-1].hash, kept[-1].seq)
    for n in range(5):  # the node keeps working: new, validly keyed entries fill the gap
        record(None, "create", object_type="system", object_id=str(n))
    code, output = verify_command("--checkpoint", str(tmp_path / "checkpoint.json"))
    assert code == 1
    assert f"(seq {checkpoint['seq']}) is not the entry the checkpoint of" in output


def test_finding_6_one_tampered_entry_is_named(world, tmp_path, no_node_key):
    take_checkpoint(tmp_path)
    target = entries()[6]
    drop_triggers()
    execute("UPDATE audit_auditentry SET purpose = 'nothing to see' WHERE id = %s", [target.pk])
    for args in ((), ("--checkpoint", str(tmp_path / "checkpoint.json"))):
        code, output = verify_command(*args)
        assert code == 1
        assert f"BROKEN at entry {target.pk}" in output
        assert f"entry {target.pk} (seq {target.seq}): content altered" in output or \
            "content altered: does not match its MAC" in output


def test_finding_6_rotating_the_audit_key_keeps_verify_intact(world, tmp_path, no_node_key):
    first = keyring.load().audit.current
    old_checkpoint = take_checkpoint(tmp_path, "before.json")
    out = io.StringIO()
    call_command("keys", "rotate", "--audit", stdout=out)
    second = keyring.load().audit.current
    assert second != first and second in out.getvalue()
    record(None, "create", object_type="system", object_id="after rotation")
    assert {e.key_id for e in entries()} == {first, second}
    assert verify_command()[0] == 0
    assert verify_command("--checkpoint", str(tmp_path / "before.json"))[0] == 0
    new_checkpoint = take_checkpoint(tmp_path, "after.json")
    assert new_checkpoint["signature"]["key_id"] == second != old_checkpoint["signature"]["key_id"]
    assert verify_command("--checkpoint", str(tmp_path / "after.json"))[0] == 0
    with pytest.raises(Exception, match="never retired"):
        call_command("keys", "retire", first, stdout=io.StringIO())


def test_finding_6_verify_with_the_wrong_key_file_fails(world, tmp_path, no_node_key):
    take_checkpoint(tmp_path)
    own = json.loads(keyring.keyring_path().read_text())
    other = tmp_path / "other-keyring.json"
    keyring.create_keyring(other)  # another node's keyring: no audit key of ours
    code, output = verify_command("--key-file", str(other))
    assert code == 1 and "which the keyring does not hold" in output
    forged = dict(own, audit={**own["audit"], "keys": {
        kid: "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=" for kid in own["audit"]["keys"]}})
    (tmp_path / "forged.json").write_text(json.dumps(forged))  # same key ids, other keys
    code, output = verify_command("--key-file", str(tmp_path / "forged.json"))
    assert code == 1 and "does not match its MAC" in output
    code, output = verify_command("--key-file", str(tmp_path / "forged.json"),
                                  "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert code == 1 and "refused: its MAC does not verify" in output
    assert verify_command("--key-file", str(keyring.keyring_path()))[0] == 0


def test_finding_6_a_checkpoint_is_signed_with_the_node_key_and_cannot_be_edited(
        world, tmp_path, settings):
    settings.CROSSROADS_NODE_ID = "AL"
    settings.CROSSROADS_NODE_KEY_FILE = str(tmp_path / "node.json")
    own = identity.create()
    checkpoint = take_checkpoint(tmp_path)
    assert checkpoint["signature"]["scheme"] == "ed25519"
    assert checkpoint["signature"]["fingerprint"] == own.pair.fingerprint
    assert {"seq", "last_id", "head", "at", "node"} <= set(checkpoint)
    assert verify_command("--checkpoint", str(tmp_path / "checkpoint.json"))[0] == 0
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({**checkpoint, "seq": checkpoint["seq"] - 3}))
    code, output = verify_command("--checkpoint", str(edited))
    assert code == 1 and "signature does not verify" in output


def test_finding_6_a_checkpoint_of_a_broken_chain_is_refused(world, tmp_path, no_node_key):
    drop_triggers()
    execute("UPDATE audit_auditentry SET actor = 'nobody' WHERE id = %s", [entries()[2].pk])
    with pytest.raises(Exception, match="broken at entry"):
        take_checkpoint(tmp_path)


@pytest.fixture
def unkeyed_chain(db, settings, tmp_path):
    """A node upgraded from before the keyed chain: entries in plain SHA-256, and a keyring
    without an audit key."""
    settings.CROSSROADS_KEY_FILE = str(tmp_path / "old-keyring.json")
    keyring.create_keyring(tmp_path / "old-keyring.json")
    from django.utils import timezone

    from crossroads.audit.models import ChainHead
    previous, made = GENESIS, []
    for n in range(6):
        values = {"at": timezone.now(), "actor_id": None, "actor": "", "role": "", "agency_id": None,
                  "jurisdiction": "AL", "action": "create", "object_type": "system",
                  "object_id": str(n), "purpose": "", "outcome": "ok", "details": {"n": n},
                  "prev_hash": previous}
        previous = entry_hash(values)
        made.append(AuditEntry.objects.create(**values, hash=previous))
    ChainHead.objects.update_or_create(pk=1, defaults={"last_id": made[-1].pk, "last_hash": previous,
                                                       "last_seq": len(made)})
    return made


def test_finding_6_an_unkeyed_chain_from_before_still_verifies_then_is_sealed(unkeyed_chain):
    assert keyring.load().audit is None
    result = verify_chain()
    assert result.ok and result.unkeyed == 6
    record(None, "create", object_type="system", object_id="first keyed entry")
    audit = keyring.load().audit
    assert audit.sealed == {"last_id": unkeyed_chain[-1].pk, "last_hash": unkeyed_chain[-1].hash,
                            "count": 6}
    newest = AuditEntry.objects.latest("id")
    assert (newest.key_id, newest.seq, newest.prev_hash) == (audit.current, 7, unkeyed_chain[-1].hash)
    code, output = verify_command()
    assert code == 0 and "7 entries verified, 6 of them unkeyed" in output


def test_finding_6_the_sealed_unkeyed_part_cannot_be_rewritten(unkeyed_chain):
    record(None, "create", object_type="system", object_id="first keyed entry")
    drop_triggers()
    delete_entries([unkeyed_chain[2].pk])
    rehash_with_sha256(keep_key_ids=False)  # everything made to look unkeyed and consistent
    code, output = verify_command()
    assert code == 1
    assert "no longer match the seal in the keyring" in output


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_finding_6_disabled_triggers_on_postgresql(world):
    execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
    chain = entries()
    delete_entries([chain[1].pk])
    rehash_with_sha256(keep_key_ids=True)
    assert not verify_chain().ok

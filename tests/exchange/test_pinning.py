"""Peers' keys pinned on first use: a hub that lists other keys for a known peer cannot make
this node use them, nor process what is signed with them, until an administrator confirms the
fingerprint read out by the peer's administrator."""

import dataclasses
import io

import pytest
from django.core.management import CommandError, call_command

from crossroads.audit.models import AuditEntry
from crossroads.exchange import pinning, services, transport
from crossroads.exchange.envelope import EnvelopeError, build
from crossroads.exchange.models import HeldEnvelope, InboxMessage, PeerNode
from tests.exchange.test_hub_transport import serve_directory_from_the_hub


@pytest.fixture
def pinned(registered, monkeypatch):
    """AL and RS pinned from the hub's directory as RS first saw it."""
    serve_directory_from_the_hub(registered, monkeypatch)
    PeerNode.objects.all().delete()
    with registered.acting_as("RS"):
        transport.refresh_directory()
    return registered


def impostor(parties, tmp_path):
    """Keys the hub itself made up for AL (a compromised hub), listed in AL's place: the
    identity that signs as AL with them."""
    parties.files["IMPOSTOR"] = tmp_path / "impostor.json"
    with parties.acting_as("IMPOSTOR") as own:
        pair = own.pair
    services.register_node("AL", jurisdictions=["AL"], signing_key=pair.signing_public,
                      encryption_key=pair.encryption_public, key_id=pair.kid)
    return dataclasses.replace(own, node="AL")


def from_impostor(parties, signer):
    return build(signer, recipient="RS", kind="request", body={"n": 1},
                 recipient_peer=parties.peer("RS"))


def test_first_use_pins_and_is_audited(pinned):
    al = PeerNode.objects.get(code="AL")
    assert al.signing_key == pinned.peer("AL").signing_key and al.listed and not al.pending_since
    entry = AuditEntry.objects.filter(object_type="exchange.peernode", object_id="AL").get()
    assert entry.details == {"pinned": pinned.identity("AL").pair.fingerprint}


def test_keys_listed_in_place_of_pinned_ones_are_not_used(pinned, tmp_path):
    signer = impostor(pinned, tmp_path)
    with pinned.acting_as("RS"):
        transport.refresh_directory()
        assert transport.peer("AL").signing_key == pinned.peer("AL").signing_key
        al = PeerNode.objects.get(code="AL")
        assert pinning.pending_fingerprint(al) == signer.pair.fingerprint
        # What the impostor signs is held, never processed; an unknown signature is refused.
        assert transport.accept(from_impostor(pinned, signer)) is None
        assert HeldEnvelope.objects.count() == 1 and not InboxMessage.objects.exists()
        forged = from_impostor(pinned, signer)
        forged["body"]["sealed"]["ct"] = forged["body"]["sealed"]["ct"][::-1]
        with pytest.raises(EnvelopeError):
            transport.accept(forged)
    change = AuditEntry.objects.filter(object_type="exchange.peernode", action="update").get()
    assert change.details["pending"] == signer.pair.fingerprint


def test_only_the_matching_fingerprint_confirms_and_releases_the_held_messages(pinned, tmp_path):
    signer = impostor(pinned, tmp_path)     # here: keys AL really rotated to, as AL's admin says
    with pinned.acting_as("RS"):
        transport.refresh_directory()
        transport.accept(from_impostor(pinned, signer))
        with pytest.raises(pinning.PinningError):
            services.confirm_peer("AL", pinned.identity("RS").pair.fingerprint)
        assert PeerNode.objects.get(code="AL").pending_since is not None
        out = io.StringIO()
        call_command("exchange", "confirm-peer", "AL", "--fingerprint",
                     signer.pair.fingerprint.upper().replace(" ", ":"), stdout=out)
        assert "1 held message(s)" in out.getvalue()
        assert transport.peer("AL").signing_key == signer.pair.signing_public
        assert InboxMessage.objects.filter(sender="AL").count() == 1
        assert not HeldEnvelope.objects.exists()
        with pytest.raises(CommandError, match="no key change of AL"):
            call_command("exchange", "confirm-peer", "AL", "--fingerprint", signer.pair.fingerprint)


def test_a_peer_that_leaves_the_directory_stays_pinned(pinned, tmp_path):
    services.deactivate_node("AL")
    with pinned.acting_as("RS"):
        transport.refresh_directory()
        with pytest.raises(transport.TransportError):
            transport.peer("AL")
    signer = impostor(pinned, tmp_path)     # back with other keys: not a first use
    with pinned.acting_as("RS"):
        out = io.StringIO()
        call_command("exchange", "directory", stdout=out)
        al = PeerNode.objects.get(code="AL")
        assert al.listed and al.signing_key == pinned.peer("AL").signing_key
        assert signer.pair.fingerprint in out.getvalue() and "confirm-peer AL" in out.getvalue()

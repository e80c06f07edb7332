"""Envelopes: signatures, sealing to the recipient, tampering, handling codes, time."""

import base64
import datetime
import json

import pytest
from django.utils import timezone

from crossroads.exchange.envelope import EnvelopeError, build, canonical, check_age, open_sealed, verify


def envelope_from_al_to_rs(parties, body=None, **extra):
    return build(parties.identity("AL"), recipient="RS", kind="request",
                 body=body or {"purpose": "to identify"}, recipient_peer=parties.peer("RS"), **extra)


def resign(parties, code, envelope):
    """What an attacker holding `code`'s key could send (a valid signature over its change)."""
    envelope["sig"] = parties.identity(code).sign(canonical({"header": envelope["header"],
                                                             "body": envelope["body"]}))
    return envelope


def flip(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[len(raw) // 2] ^= 1
    return base64.b64encode(bytes(raw)).decode()


def test_a_signed_envelope_verifies_and_its_body_opens_for_the_recipient(parties):
    envelope = envelope_from_al_to_rs(parties)
    assert verify(envelope, parties.peer("AL"))["recipient"] == "RS"
    assert "purpose" not in json.dumps(envelope)  # the body travels sealed
    assert open_sealed(envelope, parties.identity("RS")) == {"purpose": "to identify"}


@pytest.mark.parametrize("change", [
    lambda e: e["header"].update(recipient="AL"),
    lambda e: e["header"].update(seq=7),
    lambda e: e["body"]["sealed"].update(ct=flip(e["body"]["sealed"]["ct"])),
    lambda e: e.update(sig=flip(e["sig"])),
])
def test_any_change_breaks_the_signature(parties, change):
    envelope = envelope_from_al_to_rs(parties)
    change(envelope)
    with pytest.raises(EnvelopeError):
        verify(envelope, parties.peer("AL"))


def test_a_signature_by_another_key_is_refused(parties):
    envelope = resign(parties, "RS", envelope_from_al_to_rs(parties))
    with pytest.raises(EnvelopeError, match="bad signature"):
        verify(envelope, parties.peer("AL"))


def test_tampered_ciphertext_does_not_open_even_when_re_signed(parties):
    envelope = envelope_from_al_to_rs(parties)
    envelope["body"]["sealed"]["ct"] = flip(envelope["body"]["sealed"]["ct"])
    resign(parties, "AL", envelope)
    verify(envelope, parties.peer("AL"))
    with pytest.raises(EnvelopeError, match="does not open"):
        open_sealed(envelope, parties.identity("RS"))


def test_a_body_moved_under_another_header_does_not_open(parties):
    first, second = envelope_from_al_to_rs(parties), envelope_from_al_to_rs(parties, {"x": 1})
    second["body"] = first["body"]
    with pytest.raises(EnvelopeError):
        open_sealed(resign(parties, "AL", second), parties.identity("RS"))


def test_the_hub_and_other_nodes_cannot_open_a_body_between_nodes(parties):
    envelope = envelope_from_al_to_rs(parties)
    for code in ("HUB", "AL"):
        with pytest.raises(EnvelopeError):
            open_sealed(envelope, parties.identity(code))


def test_h3_never_leaves_and_is_refused_on_arrival(parties):
    with pytest.raises(EnvelopeError, match="H3"):
        envelope_from_al_to_rs(parties, handling="H3")
    envelope = envelope_from_al_to_rs(parties, handling="H2")
    envelope["header"]["handling"] = "H3"
    with pytest.raises(EnvelopeError, match="H3"):
        verify(resign(parties, "AL", envelope), parties.peer("AL"))


def test_old_and_future_timestamps_are_refused(parties):
    envelope = envelope_from_al_to_rs(parties)
    day, minute = datetime.timedelta(days=1), datetime.timedelta(minutes=1)
    check_age(envelope["header"], day, minute)
    for moment in (timezone.now() - 2 * day, timezone.now() + 10 * minute):
        with pytest.raises(EnvelopeError, match="timestamp"):
            check_age({"ts": moment.isoformat()}, day, minute)

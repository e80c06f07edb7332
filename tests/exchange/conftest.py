"""Exchange identities in one test process: a hub and two nodes, switched by settings."""

import json
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.utils import timezone

from crossroads.exchange import hub, identity, services
from crossroads.exchange.envelope import Peer
from crossroads.exchange.models import HubNode, OutboxMessage, PeerNode


@dataclass
class Parties:
    settings: object
    files: dict

    @contextmanager
    def acting_as(self, code: str):
        """Run as the hub (`HUB`) or as a node, with its own key file."""
        saved = (self.settings.CROSSROADS_MODE, self.settings.CROSSROADS_NODE_ID,
                 self.settings.CROSSROADS_NODE_KEY_FILE)
        self.settings.CROSSROADS_MODE = "hub" if code == identity.HUB_ID else "node"
        self.settings.CROSSROADS_NODE_ID = "" if code == identity.HUB_ID else code
        self.settings.CROSSROADS_NODE_KEY_FILE = str(self.files[code])
        try:
            yield identity.load()
        finally:
            (self.settings.CROSSROADS_MODE, self.settings.CROSSROADS_NODE_ID,
             self.settings.CROSSROADS_NODE_KEY_FILE) = saved

    def identity(self, code: str) -> identity.Identity:
        with self.acting_as(code) as own:
            return own

    def peer(self, code: str) -> Peer:
        own = self.identity(code)
        return Peer(code, own.pair.signing_public, own.pair.encryption_public, own.current)


@pytest.fixture(scope="session")
def loopback_template(tmp_path_factory):
    """A migrated database and static files to copy into each installation (made once)."""
    from .loopback import template_database

    return template_database(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="module")
def region(tmp_path_factory, loopback_template):
    """A hub on loopback per test module (the modules together need more nodes than the six
    jurisdictions: each adds nodes of its own)."""
    from .loopback import Region

    world = Region(tmp_path_factory.mktemp("region"), loopback_template)
    try:
        yield world
    finally:
        world.stop()


@pytest.fixture
def parties(settings, tmp_path):
    files = {code: tmp_path / f"{code}.json" for code in (identity.HUB_ID, "AL", "RS")}
    found = Parties(settings, files)
    settings.CROSSROADS_HUB_SIGNING_KEY = found.peer(identity.HUB_ID).signing_key
    return found


@pytest.fixture
def registered(parties, db):
    """AL and RS in the hub's registry, and in each node's copy of the directory."""
    for code in ("AL", "RS"):
        peer = parties.peer(code)
        services.register_node(code, jurisdictions=[code], signing_key=peer.signing_key,
                          encryption_key=peer.encryption_key, key_id=peer.key_id)
        PeerNode.objects.create(code=code, jurisdictions=[code], signing_key=peer.signing_key,
                                encryption_key=peer.encryption_key, key_id=peer.key_id)
    return parties


@pytest.fixture
def joined(registered, settings, tmp_path):
    """AL and RS registered, taking part in the exchange, with the nodes' shared secret."""
    from crossroads.exchange.identity import write_exchange_secret

    settings.CROSSROADS_HUB_URL = "http://127.0.0.1:9"
    settings.CROSSROADS_EXCHANGE_SECRET_FILE = str(tmp_path / "secret")
    write_exchange_secret(tmp_path / "secret")
    return registered


def to_hub(parties, code):
    """Hand the node's queued hub-bound envelopes to the hub, as delivery would."""
    node = HubNode.objects.get(code=code)
    queued = [m for m in OutboxMessage.objects.filter(recipient="HUB", sent_at__isnull=True)
              if json.loads(m.envelope)["header"]["sender"] == code]
    with parties.acting_as("HUB"):
        results = [hub.receive(node, json.loads(m.envelope)) for m in queued]
    OutboxMessage.objects.filter(pk__in=[m.pk for m in queued]).update(sent_at=timezone.now())
    return results


def consent_to_cross_border(investigator) -> None:
    """Every person without an answer agrees to cross-border sharing (victims are encoded only
    with that consent; crossroads/exchange/eligibility.py)."""
    from crossroads.assistance.models import Consent
    from crossroads.registry.models import Person

    Consent.objects.bulk_create(
        Consent(person=person, purpose="cross_border", granted=True, recorded_by=investigator,
                agency_id=investigator.agency_id)
        for person in Person.objects.exclude(consents__purpose="cross_border"))

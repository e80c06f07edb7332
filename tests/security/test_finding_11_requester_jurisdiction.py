"""Finding 11a (issue 13): a peer's request could name any requester jurisdiction.

The requester's jurisdiction must be one that the signing peer node serves (as pinned from the
hub's verified directory), and the hit AL holds must be with that node and jurisdiction."""

import pytest

from crossroads.access.choices import Role
from crossroads.exchange import transport
from crossroads.exchange.models import ExchangeRequest, InboxMessage
from tests.exchange import conftest as exchange_fixtures
from tests.exchange.conftest import consent_to_cross_border
from tests.exchange.test_formal_requests import hit_for, request_envelope

pytestmark = pytest.mark.django_db
parties, registered = exchange_fixtures.parties, exchange_fixtures.registered  # the in-process nodes


@pytest.mark.parametrize("claimed", ["XK", "AL"])
def test_finding_11_a_peer_may_not_name_another_requester_jurisdiction(world, registered, claimed):
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    hit = hit_for(world.persons["AL-victim"], remote_node="RS")
    hit.remote_jurisdiction = claimed  # even a hit (the hub's word) naming that jurisdiction
    hit.save()
    envelope = request_envelope(registered, hit, requester_jurisdiction=claimed)
    with registered.acting_as("AL"):
        transport.accept(envelope)
        transport.process()
    assert InboxMessage.objects.get().error == "RS does not serve the requester's jurisdiction"
    assert not ExchangeRequest.objects.exists()


def test_finding_11_the_peer_s_own_jurisdiction_is_accepted(world, registered):
    hit = hit_for(world.persons["AL-victim"], remote_node="RS")
    with registered.acting_as("AL"):
        transport.accept(request_envelope(registered, hit, requester_jurisdiction="RS"))
        transport.process()
    assert ExchangeRequest.objects.get(direction="in").peer_jurisdiction == "RS"

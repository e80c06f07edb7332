"""Delivery you can trust, with real processes: the hub and the nodes are killed mid-exchange
and restarted, acknowledgements are lost (envelopes resent), the hub is down while a node
sends; at the end every request arrived once, every answer once, nothing lost, nothing doubled."""

import datetime

import pytest

from .loopback import wait_for

pytestmark = pytest.mark.loopback

BA_PERSON = {"given_names": "Ardita", "family_name": "Berisha", "sex": "F", "birth_date": "2002-03-14",
             "place_of_birth": "Tetovo"}
MK_PERSON = {"given_names": "Ардита", "family_name": "Бериша", "sex": "F", "birth_date": "2002-03-14",
             "place_of_birth": "Тетово"}


def register(node, person):
    status, body = node.api("POST", "/registrations", "investigator", {
        "person": person, "exploitation": {"forms": ["forced_labour"]}})
    assert status == 201, body
    status, consent = node.api("POST", f"/persons/{body['person_id']}/consents", "investigator",
                               {"purpose": "cross_border", "granted": True})
    assert status == 201, consent


def items(node, path):
    status, body = node.api("GET", path, "focal_point")
    assert status == 200, body
    return body["items"]


def unsent(node):
    return node.query("SELECT COUNT(*) FROM exchange_outboxmessage WHERE sent_at IS NULL")[0][0]


def test_kill_restart_drop_and_duplicate(region):
    ba, mk = region.node("BA"), region.node("MK")
    for node in (ba, mk):
        node.start_worker()
    register(ba, BA_PERSON)
    register(mk, MK_PERSON)
    hit = wait_for(lambda: items(mk, "/exchange/hits"), message="hit on MK", region=region)[0]
    wait_for(lambda: items(ba, "/exchange/hits"), message="hit on BA", region=region)

    # The hub goes down; MK's focal point keeps working: three requests wait in the outbox.
    region.hub.kill_server()
    deadline = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    sent = []
    for n in range(3):
        status, body = mk.api("POST", "/exchange/requests", "focal_point", {
            "hit_id": hit["id"], "purpose": f"check {n}", "legal_basis": "MoU on exchange",
            "fields": ["given_names", "family_name"], "handling_code": "H0", "deadline": deadline})
        assert status == 201, body
        sent.append(body)
    wait_for(lambda: mk.query("SELECT MIN(attempts) FROM exchange_outboxmessage "
                              "WHERE sent_at IS NULL")[0][0], message="failed attempts")
    mk.kill_worker()  # killed mid-retry
    assert unsent(mk) == 3

    region.hub.start("--hub")
    mk.start_worker()
    wait_for(lambda: len(items(ba, "/exchange/requests?direction=in")) == 3,
             message="the three requests on BA", region=region)

    # Acknowledgements lost: MK sends the same envelopes again; the hub and BA take them once.
    mk.execute("UPDATE exchange_outboxmessage SET sent_at = NULL, next_attempt_at = '2000-01-01' "
               "WHERE kind = 'request'")
    wait_for(lambda: unsent(mk) == 0, message="resends", region=region)
    assert region.hub.query("SELECT COUNT(*), COUNT(DISTINCT message_id) FROM exchange_hubmessage "
                            "WHERE kind = 'request' AND sender = 'MK'") == [(3, 3)]

    # BA's worker and then BA's server die around its decisions; they are restarted.
    incoming = items(ba, "/exchange/requests?direction=in")
    assert sorted(r["public_id"] for r in incoming) == sorted(r["public_id"] for r in sent)
    ba.kill_worker()
    for request in incoming:
        status, body = ba.api("POST", f"/exchange/requests/{request['id']}/approve", "focal_point", {
            "fields": ["family_name"], "source_reliability": "A", "information_reliability": "1"})
        assert status == 200, body
    ba.kill_server()
    ba.start()
    ba.start_worker()

    def answered():
        return all(mk.api("GET", f"/exchange/requests/{r['id']}", "focal_point")[1]["status"]
                   == "partly" for r in sent)

    wait_for(answered, message="the answers on MK", region=region)
    for request in sent:
        assert mk.api("GET", f"/exchange/requests/{request['id']}/answer", "focal_point")[1][
            "values"] == {"family_name": "Berisha"}
    for node in (ba, mk):
        assert node.query("SELECT COUNT(*), COUNT(DISTINCT message_id) FROM exchange_inboxmessage") == \
            node.query("SELECT COUNT(*), COUNT(*) FROM exchange_inboxmessage")
        assert node.query("SELECT COUNT(*) FROM exchange_inboxmessage WHERE error != ''") == [(0,)]
    assert len(items(ba, "/exchange/requests?direction=in")) == 3
    assert len(items(mk, "/exchange/requests?direction=out")) == 3
    assert mk.query("SELECT COUNT(*) FROM exchange_inboxmessage WHERE kind = 'decision'") == [(3,)]

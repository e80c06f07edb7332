"""Selector hit / no-hit on loopback, through the API of real `crossroads` processes: a suspect's
phone in a case of XK and in a case of ME gives both focal points a selector hit (its kind, not
its value), ME's focal point asks, XK's answers with the holder's name; a phone of XK alone is
no hit; an H3 case's plate never reaches the hub; a case raised to H3 withdraws its selectors —
and no hub table holds a value in clear."""

import datetime

import pytest

from .loopback import wait_for
from .test_loopback_story import hits

pytestmark = pytest.mark.loopback
SHARED_PHONE, XK_ONLY_PHONE = "+38349123456", "+38344987654"
CLEAR = ["38349123456", "49123456", "38344987654", "Ilir Morina", "Марко Пејовић", "ks01abc",
         "KS01ABC", "trans.balkan@example.net", "XK-H3-7"]


def case_with_suspect(node, handling_code="H1"):
    """A victim's registration opens a case; the node's investigator then adds its network."""
    status, body = node.api("POST", "/registrations", "investigator", {
        "person": {"given_names": "Arta", "family_name": "Demo", "sex": "F"},
        "case": {"handling_code": handling_code}, "exploitation": {"forms": ["sexual"]}})
    assert status == 201, body
    return body["case_id"]


def add_entity(node, case_id, schema, properties):
    status, body = node.api("POST", f"/cases/{case_id}/network/entities", "investigator", {
        "schema": schema, "properties": properties, "source": "loopback statement"})
    assert status == 201, body
    return body


def selector_hits(node):
    return [h for h in hits(node) if h["kind"] != "person"]


def test_a_shared_phone_is_a_selector_hit_for_both_nodes_and_a_request_follows(region):
    xk, me = region.node("XK"), region.node("ME")
    for node in (xk, me):
        node.start_worker()
    xk_case = case_with_suspect(xk)
    add_entity(xk, xk_case, "Person", {"name": ["Ilir Morina"],
                                                  "phone": ["049 123 456", "044 987 654"],
                                                  "email": ["trans.balkan@example.net"]})
    h3_case = case_with_suspect(xk, "H3")
    add_entity(xk, h3_case, "Vehicle", {"registrationNumber": ["KS 01 ABC"], "name": ["XK-H3-7"]})
    me_case = case_with_suspect(me)
    add_entity(me, me_case, "Person", {"name": ["Марко Пејовић"], "phone": [SHARED_PHONE]})
    add_entity(me, me_case, "Vehicle", {"registrationNumber": ["KS01ABC"]})

    xk_hit = wait_for(lambda: selector_hits(xk), message="the selector hit on XK", region=region)
    me_hit = wait_for(lambda: selector_hits(me), message="the selector hit on ME", region=region)
    assert len(xk_hit) == len(me_hit) == 1  # the phone; XK's other phone and H3 plate: no hit
    xk_hit, me_hit = xk_hit[0], me_hit[0]
    assert xk_hit["kind"] == me_hit["kind"] == "phone" and xk_hit["person_id"] is None
    assert (xk_hit["remote_node"], me_hit["remote_node"]) == ("ME", "XK")
    assert xk_hit["reference"] == me_hit["remote_reference"] and xk_hit["score"] == 1.0
    # The hub holds XK's phones and e-mail (not its H3 plate) and ME's phone and plate.
    held = dict(region.hub.query("SELECT node, COUNT(*) FROM exchange_hubselector "
                                 "WHERE node IN ('XK', 'ME') GROUP BY node"))
    assert held == {"XK": 3, "ME": 2}
    assert me.api("GET", "/exchange/hits", "investigator")[0] == 403

    deadline = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    status, sent = me.api("POST", "/exchange/requests", "focal_point", {
        "hit_id": me_hit["id"], "purpose": "Who uses this number", "legal_basis": "PCC SEE, art. 5",
        "fields": ["entity_name", "entity_schema"], "handling_code": "H1", "deadline": deadline})
    assert status == 201, sent

    def incoming():
        items = xk.api("GET", "/exchange/requests?direction=in", "focal_point")[1]["items"]
        return items[0] if items else None

    received = wait_for(incoming, message="the request on XK", region=region)
    assert received["hit_id"] == xk_hit["id"]
    status, decided = xk.api("POST", f"/exchange/requests/{received['id']}/approve", "focal_point",
                             {"fields": ["entity_name"], "source_reliability": "B",
                              "information_reliability": "2"})
    assert status == 200, decided

    def answered():
        request = me.api("GET", f"/exchange/requests/{sent['id']}", "focal_point")[1]
        return request if request["status"] == "partly" else None

    wait_for(answered, message="the answer on ME", region=region)
    status, answer = me.api("GET", f"/exchange/requests/{sent['id']}/answer", "focal_point")
    assert status == 200 and answer["values"] == {"entity_name": ["Ilir Morina"]}, answer

    # XK's case raised to H3: its selectors are withdrawn from the hub.
    status, changed = xk.api("POST", f"/cases/{xk_case}/handling-code", "investigator",
                             {"handling_code": "H3", "reason": "a witness is under threat"})
    assert status == 201, changed
    wait_for(lambda: region.hub.query("SELECT COUNT(*) FROM exchange_hubselector WHERE node = 'XK'")
             == [(0,)], message="XK's selectors withdrawn", region=region)
    assert region.hub.query("SELECT COUNT(*) FROM exchange_hubselector WHERE node = 'ME'") == [(2,)]
    # No table of the hub holds a value in clear (every column of every row, as text).
    found = []
    for (table,) in region.hub.query("SELECT name FROM sqlite_master WHERE type='table'"):
        for row in region.hub.query(f'SELECT * FROM "{table}"'):  # noqa: S608 - names from the schema
            text = " ".join(str(v) for v in row).lower()
            found += [(table, value) for value in CLEAR if value.lower() in text]
    assert found == []

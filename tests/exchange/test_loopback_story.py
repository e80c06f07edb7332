"""The done-when story on loopback, through the API of real `crossroads` processes: AL registers
a person in Albanian spelling, RS the same person in Serbian Cyrillic, both nodes receive the
hit, RS asks, AL approves two fields, RS reads exactly those two, both audit logs and the hub's
witness agree — and no hub table holds any of the story's values in clear."""

import datetime

import pytest

from .loopback import wait_for

pytestmark = pytest.mark.loopback

AL_PERSON = {"given_names": "Vjollca", "family_name": "Gjokaj", "father_name": "Mehmet",
             "sex": "F", "birth_date": "1999-07-23", "place_of_birth": "Shkodër",
             "documents": [{"doc_type": "passport", "number": "BZ4417362", "issuing_country": "AL"}]}
RS_PERSON = {"given_names": "Вјолца", "family_name": "Ђокај", "father_name": "Мехмед",
             "sex": "F", "birth_date": "1999-07-23", "place_of_birth": "Скадар"}
PURPOSE = "Identification of a presumed victim found in Novi Sad"
LEGAL_BASIS = "Police cooperation convention for South-East Europe, article 5"
STORY_VALUES = ["Vjollca", "Gjokaj", "Mehmet", "Shkodër", "BZ4417362", "Вјолца", "Ђокај",
                "Мехмед", "Скадар", "1999-07-23", "23.07.1999", "vjollca", "gjokaj", "djokaj",
                "Novi Sad", "article 5"]


def register(node, person, exploitation_country):
    status, body = node.api("POST", "/registrations", "investigator", {
        "person": person, "case": {"handling_code": "H1"},
        "exploitation": {"forms": ["sexual"], "country_of_exploitation": exploitation_country}})
    assert status == 201, body
    status, consent = node.api("POST", f"/persons/{body['person_id']}/consents", "investigator",
                               {"purpose": "cross_border", "granted": True})
    assert status == 201, consent
    return body["person_id"]


def hits(node):
    status, body = node.api("GET", "/exchange/hits", "focal_point")
    assert status == 200, body
    return body["items"]


def audit(node, **filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    status, body = node.api("GET", f"/audit?limit=200&{query}", "oversight")
    assert status == 200, body
    return body["items"]


def steps(entries, request_id):
    return {e["details"]["exchange"]: e["details"].get("message") for e in entries
            if e["details"].get("request") == request_id}


def test_the_whole_story(region):
    al, rs = region.node("AL"), region.node("RS")
    for node in (al, rs):
        node.start_worker()
    al_person = register(al, AL_PERSON, "RS")
    register(rs, RS_PERSON, "RS")

    al_hit = wait_for(lambda: hits(al), message="the hit on AL", region=region)[0]
    rs_hit = wait_for(lambda: hits(rs), message="the hit on RS", region=region)[0]
    assert al_hit["person_id"] == al_person
    assert (al_hit["remote_node"], rs_hit["remote_node"]) == ("RS", "AL")
    assert al_hit["reference"] == rs_hit["remote_reference"]
    assert rs_hit["reference"] == al_hit["remote_reference"]
    assert al_hit["score"] == rs_hit["score"] >= 0.7

    deadline = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    status, sent = rs.api("POST", "/exchange/requests", "focal_point", {
        "hit_id": rs_hit["id"], "purpose": PURPOSE, "legal_basis": LEGAL_BASIS,
        "fields": ["given_names", "family_name", "birth_date", "documents"],
        "handling_code": "H1", "deadline": deadline})
    assert status == 201, sent
    assert sent["status"] == "pending" and sent["direction"] == "out"
    # The investigator is no focal point: no requests for them.
    assert rs.api("GET", "/exchange/requests", "investigator")[0] == 403

    def incoming():
        items = al.api("GET", "/exchange/requests?direction=in", "focal_point")[1]["items"]
        return items[0] if items else None

    received = wait_for(incoming, message="the request on AL", region=region)
    assert received["public_id"] == sent["public_id"]
    assert received["purpose"] == PURPOSE and received["legal_basis"] == LEGAL_BASIS
    assert received["fields_requested"] == ["given_names", "family_name", "birth_date", "documents"]
    assert received["hit_id"] == al_hit["id"]

    # A field that was not asked for cannot be approved.
    status, body = al.api("POST", f"/exchange/requests/{received['id']}/approve", "focal_point",
                          {"fields": ["given_names", "aliases"], "source_reliability": "B",
                           "information_reliability": "2"})
    assert status == 422 and body["detail"][0]["loc"][-1] == "fields"
    status, decided = al.api("POST", f"/exchange/requests/{received['id']}/approve", "focal_point",
                             {"fields": ["family_name", "birth_date"], "source_reliability": "B",
                              "information_reliability": "2"})
    assert status == 200, decided
    assert decided["status"] == "partly" and decided["fields_approved"] == ["family_name", "birth_date"]

    def answered():
        request = rs.api("GET", f"/exchange/requests/{sent['id']}", "focal_point")[1]
        return request if request["status"] == "partly" else None

    answered_request = wait_for(answered, message="the answer on RS", region=region)
    assert answered_request["source_reliability"] == "B"
    assert answered_request["information_reliability"] == "2"
    status, answer = rs.api("GET", f"/exchange/requests/{sent['id']}/answer", "focal_point")
    assert status == 200, answer
    assert answer["values"] == {"family_name": "Gjokaj",
                                "birth_date": {"date": "1999-07-23", "precision": "exact"}}
    assert answer["handling_code"] == "H1" and answer["court_use"] is False

    # Both audit logs name every step, with the same message ids on both sides.
    rs_steps = steps(audit(rs), sent["public_id"])
    al_steps = steps(audit(al), sent["public_id"])
    assert {"request_sent", "answer_received", "answer_read"} <= set(rs_steps)
    assert {"request_received", "answer_sent"} <= set(al_steps)
    assert rs_steps["request_sent"] == al_steps["request_received"]
    assert al_steps["answer_sent"] == rs_steps["answer_received"]

    # The hub witnesses both chains.
    for node in (al, rs):
        node.cli("exchange", "witness-send")
    wait_for(lambda: all(n.query("SELECT COUNT(*) FROM exchange_outboxmessage WHERE sent_at IS NULL")
                         == [(0,)] for n in (al, rs)), message="heads delivered", region=region)
    for node in (al, rs):
        assert "matches" in node.cli("exchange", "witness-check").stdout
    assert region.hub.query("SELECT COUNT(DISTINCT node) FROM exchange_hubwitnesshead "
                            "WHERE node IN ('AL', 'RS')") == [(2,)]

    assert_hub_holds_none_of(region, STORY_VALUES)


def assert_hub_holds_none_of(region, values):
    """Every value of every table of the hub's database, as text, contains none of `values`."""
    tables = [name for (name,) in region.hub.query(
        "SELECT name FROM sqlite_master WHERE type='table'")]
    assert "exchange_hubencoding" in tables and "exchange_hubmessage" in tables
    found = []
    for table in tables:
        for row in region.hub.query(f'SELECT * FROM "{table}"'):  # noqa: S608 - names from the schema
            text = " ".join(str(v) for v in row)
            found += [(table, value) for value in values if value in text]
    assert found == []
    assert region.hub.query("SELECT COUNT(*) FROM exchange_hubencoding")[0][0] >= 2

"""Issue 17, point 4: pages that open identities carry a purpose from the case, or ask for one
first; the purpose is in each audit entry of those views and on the oversight's pages."""

import pytest

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.registry import break_glass


def _reads_since(last, person):
    return list(AuditEntry.objects.filter(pk__gt=last, action="read_identity",
                                          object_type="registry.person", object_id=str(person.pk)))


def _last():
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _state(client, next_path, **fields):
    return client.post("/purpose/", {"next": next_path, **fields})


def test_case_page_and_a_person_linked_from_it_carry_the_case_purpose(world):
    case, person = world.cases["AL-police"], world.persons["AL-victim"]
    client = world.client(Role.INVESTIGATOR)
    last = _last()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'/persons/{person.pk}/?case={case.pk}"' in page
    assert {e.purpose for e in AuditEntry.objects.filter(pk__gt=last)} == {
        f"case_work: {case.reference}"}
    last = _last()
    response = client.get(f"/persons/{person.pk}/?case={case.pk}")
    assert response.status_code == 200 and "Krasniqi" in response.content.decode()
    assert [e.purpose for e in _reads_since(last, person)] == [f"case_work: {case.reference}"]
    # The purpose holds for the person's edit form, without asking.
    last = _last()
    assert "Krasniqi" in client.get(f"/persons/{person.pk}/edit/").content.decode()
    assert [e.purpose for e in _reads_since(last, person)] == [f"case_work: {case.reference}"]


def test_a_case_the_person_is_not_in_or_the_user_may_not_see_carries_nothing(world):
    person = world.persons["AL-victim"]
    client = world.client(Role.INVESTIGATOR)
    last = _last()
    for case in (world.cases["AL-other"], world.cases["AL-h3"], world.cases["RS-police"]):
        response = client.get(f"/persons/{person.pk}/?case={case.pk}")
        assert 'action="/purpose/"' in response.content.decode()
    assert 'action="/purpose/"' in client.get(f"/persons/{person.pk}/?case=x").content.decode()
    assert _reads_since(last, person) == []
    # A person the user may not see is a 404, not a purpose form.
    assert client.get(f"/persons/{world.persons['AL-other-victim'].pk}/").status_code == 404


def test_from_search_the_page_asks_first_then_records_the_stated_purpose(world):
    person = world.persons["AL-victim"]
    client = world.client(Role.INVESTIGATOR)
    last = _last()
    response = client.get(f"/persons/{person.pk}/")
    body = response.content.decode()
    assert response.status_code == 200 and 'action="/purpose/"' in body
    assert "Krasniqi" not in body and "Drita" not in body
    assert _reads_since(last, person) == []
    assert _state(client, f"/persons/{person.pk}/", kind="identification").status_code == 302
    assert "Krasniqi" in client.get(f"/persons/{person.pk}/").content.decode()
    assert [e.purpose for e in _reads_since(last, person)] == ["identification"]
    # Asked once: the next click does not ask again.
    assert "Krasniqi" in client.get(f"/persons/{person.pk}/").content.decode()


def test_the_name_search_asks_first(world):
    client = world.client(Role.INVESTIGATOR)
    assert 'action="/purpose/"' in client.post("/persons/", {"q": "Krasniqi"}).content.decode()
    last = _last()
    _state(client, "/persons/", kind="case_work",
           case_reference=world.cases["AL-police"].reference.lower())
    assert "Krasniqi" in client.post("/persons/", {"q": "Krasniqi"}).content.decode()
    entry = AuditEntry.objects.filter(pk__gt=last, action="read_identity").latest("pk")
    assert entry.purpose == f"case_work: {world.cases['AL-police'].reference}"


def test_case_work_on_another_jurisdictions_case_is_refused(world):
    person = world.persons["AL-victim"]
    client = world.client(Role.INVESTIGATOR)
    last = _last()
    response = _state(client, f"/persons/{person.pk}/", kind="case_work",
                      case_reference=world.cases["RS-police"].reference)
    assert response.status_code == 422
    assert "no case with this reference that you may see" in response.content.decode()
    assert AuditEntry.objects.filter(pk__gt=last, action="denied").exists()
    assert 'action="/purpose/"' in client.get(f"/persons/{person.pk}/").content.decode()
    assert _reads_since(last, person) == []


@pytest.mark.parametrize(("fields", "field_error"), [
    ({"kind": "other"}, "Describe the purpose."),
    ({"kind": "other", "text": "checking\nforged line"}, "control or invisible characters"),
    ({"kind": "other", "text": "x" * 201}, "at most 200 characters"),
    ({"kind": "break_glass", "text": "a reason"}, "valid choice"),
])
def test_bad_purposes_are_refused_with_a_clear_error(world, fields, field_error):
    person = world.persons["AL-victim"]
    client = world.client(Role.INVESTIGATOR)
    response = _state(client, f"/persons/{person.pk}/", **fields)
    assert response.status_code == 422 and field_error in response.content.decode()


def test_other_purpose_with_a_text_is_recorded(world):
    person = world.persons["AL-victim"]
    client = world.client(Role.INVESTIGATOR)
    _state(client, f"/persons/{person.pk}/", kind="other", text="  data quality   review ")
    last = _last()
    client.get(f"/persons/{person.pk}/")
    assert [e.purpose for e in _reads_since(last, person)] == ["other: data quality review"]


def test_a_next_that_is_not_an_asking_page_is_refused(world):
    client = world.client(Role.INVESTIGATOR)
    for target in ("https://elsewhere.example/persons/1/", "/cases/", "/nowhere/"):
        assert _state(client, target, kind="identification").status_code == 404


def test_the_stated_purpose_expires(world, settings, monkeypatch):
    import time
    person = world.persons["AL-victim"]
    client = world.client(Role.INVESTIGATOR)
    _state(client, f"/persons/{person.pk}/", kind="identification")
    later = time.time() + settings.CROSSROADS_PURPOSE_MINUTES * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert 'action="/purpose/"' in client.get(f"/persons/{person.pk}/").content.decode()


def test_break_glass_reason_is_the_purpose_and_oversight_default(world):
    case, person = world.cases["AL-police"], world.persons["AL-victim"]
    user = world.user(Role.OVERSIGHT)
    reason = "Complaint 12/2026 about the handling of this victim's file"
    grant = break_glass.open_grant(user, case.pk, reason, 2)
    client = world.client(Role.OVERSIGHT)
    last = _last()
    assert "Krasniqi" in client.get(f"/persons/{person.pk}/").content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    purposes = {e.purpose for e in AuditEntry.objects.filter(pk__gt=last, action="read_identity")}
    assert purposes == {f"break_glass: #{grant.pk} {reason}"}
    break_glass.revoke_grant(user, grant.pk)
    last = _last()
    client.get("/audit/")
    assert {e.purpose for e in AuditEntry.objects.filter(pk__gt=last)} <= {"oversight"}


def test_the_who_saw_page_and_the_audit_page_show_the_purpose(world):
    case, person = world.cases["AL-police"], world.persons["AL-victim"]
    world.client(Role.INVESTIGATOR).get(f"/persons/{person.pk}/?case={case.pk}")
    oversight = world.client(Role.OVERSIGHT)
    page = oversight.get(f"/oversight/persons/{person.pk}/access/").content.decode()
    assert f"Case work: {case.reference}" in page
    pdf = oversight.get(f"/oversight/persons/{person.pk}/access.pdf")
    assert pdf.status_code == 200


def test_the_api_x_purpose_still_works_and_is_validated(world):
    person = world.persons["AL-victim"]
    api = world.api(Role.INVESTIGATOR)
    last = _last()
    assert api.get(f"/api/v1/persons/{person.pk}",
                   headers={"X-Purpose": "victim interview"}).status_code == 200
    assert [e.purpose for e in _reads_since(last, person)] == ["victim interview"]
    for bad in ("x" * 201, "interview\x1b[2J"):
        response = api.get(f"/api/v1/persons/{person.pk}", headers={"X-Purpose": bad})
        assert response.status_code == 400 and "X-Purpose" in response.json()["detail"]
    assert len(_reads_since(last, person)) == 1


def test_the_pages_under_a_case_carry_its_purpose(world):
    case = world.cases["AL-police"]
    client = world.client(Role.INVESTIGATOR)
    last = _last()
    for tail in ("log/", "assistance/", "markers/"):
        assert client.get(f"/cases/{case.pk}/{tail}").status_code == 200, tail
    reads = AuditEntry.objects.filter(pk__gt=last, action="read_identity")
    assert reads.exists()
    assert {e.purpose for e in reads} == {f"case_work: {case.reference}"}

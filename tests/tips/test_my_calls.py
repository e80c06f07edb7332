"""A hotline operator's own calls ("My calls"): only the calls they entered, the newest first,
with the state of triage as an operator may know it (new, under review, closed), never the
case it became or who handles it; another's call is not found."""

import datetime

import pytest
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.audit.models import AuditEntry
from crossroads.tips import services
from crossroads.tips.models import Report
from tests.conftest import login_as

from .helpers import REPORT, file_report

pytestmark = pytest.mark.django_db
HL = Role.HOTLINE_OPERATOR


def _call(operator, text="A caller tells of workers locked in a bakery.", when=None, **changes):
    data = services.ReportInput(text=text, municipality="AL:Tiranë", language="sq",
                                channel=changes.pop("channel", "phone"),
                                call_at=when or timezone.now() - datetime.timedelta(hours=1),
                                call_notes=changes.pop("call_notes", "notes"), **changes)
    return services.file_report(data, operator=operator)[0]


def _second_operator(world):
    return User.objects.create_user("al_operator_2", password="x" * 16, role=HL,
                                    agency=world.agencies[("AL", "ngo")])


def _ids(page: str, reports) -> list[int]:
    return [report.pk for report in reports if f"/hotline/calls/{report.pk}/" in page]


def test_an_operator_sees_their_own_calls_newest_first(world):
    operator = world.user(HL)
    now = timezone.now()
    older = _call(operator, when=now - datetime.timedelta(days=3))
    newer = _call(operator, when=now - datetime.timedelta(hours=2), channel="chat")
    theirs = _call(_second_operator(world))
    file_report()  # a public web report
    public = Report.objects.get(channel="web")
    page = world.client(HL).get("/hotline/calls/").content.decode()
    assert _ids(page, [older, newer, theirs, public]) == [older.pk, newer.pk]
    assert page.index(f"/hotline/calls/{newer.pk}/") < page.index(f"/hotline/calls/{older.pk}/")
    assert "Hotline: chat or messaging" in page and "New" in page


def test_the_state_is_told_but_not_the_case_or_who_handles_it(world):
    operator = world.user(HL)
    reviewed = _call(operator, text="Ardit is kept in a car wash.")
    closed = _call(operator, text="Two boys sell flowers at night.")
    services.start_review(world.user(Role.INVESTIGATOR), reviewed)
    services.refer_to_new_case(world.user(Role.INVESTIGATOR), closed)
    client = world.client(HL)
    listed = client.get("/hotline/calls/").content.decode()
    assert "Under review" in listed and "Closed" in listed
    investigator = world.user(Role.INVESTIGATOR).username
    closed.refresh_from_db()
    for page in (listed, client.get(f"/hotline/calls/{closed.pk}/").content.decode()):
        assert investigator not in page and closed.case.reference not in page
        assert "Referred to a case" not in page
    only_closed = client.get("/hotline/calls/?state=closed").content.decode()
    assert _ids(only_closed, [reviewed, closed]) == [closed.pk]


def test_the_date_range_filters_by_the_time_of_the_call(world):
    operator = world.user(HL)
    now = timezone.now()
    old = _call(operator, when=now - datetime.timedelta(days=40))
    recent = _call(operator, when=now - datetime.timedelta(days=1))
    since = (now - datetime.timedelta(days=10)).date().isoformat()
    client = world.client(HL)
    page = client.get(f"/hotline/calls/?date_from={since}").content.decode()
    assert _ids(page, [old, recent]) == [recent.pk]
    until = (now - datetime.timedelta(days=30)).date().isoformat()
    page = client.get(f"/hotline/calls/?date_to={until}").content.decode()
    assert _ids(page, [old, recent]) == [old.pk]
    wrong = client.get(f"/hotline/calls/?date_from={since}&date_to={until}").content.decode()
    assert "The end lies before the start." in wrong


def test_one_call_of_ones_own_and_no_other(world):
    operator = world.user(HL)
    mine = _call(operator, call_notes="Caller sounded afraid.")
    theirs = _call(_second_operator(world), text="Another operator's call.")
    file_report()
    public = Report.objects.get(channel="web")
    client = world.client(HL)
    page = client.get(f"/hotline/calls/{mine.pk}/")
    assert page.status_code == 200 and "Caller sounded afraid." in page.content.decode()
    assert AuditEntry.objects.filter(action="read_identity", object_id=str(mine.pk)).exists()
    for other in (theirs, public, Report(pk=theirs.pk + 1000)):
        answer = client.get(f"/hotline/calls/{other.pk}/")
        assert answer.status_code == 404
        assert "Another operator" not in answer.content.decode()


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.CASE_WORKER, Role.COORDINATOR])
def test_other_roles_have_no_my_calls(world, role):
    call = _call(world.user(HL))
    client = world.client(role)
    assert client.get("/hotline/calls/").status_code == 403
    assert client.get(f"/hotline/calls/{call.pk}/").status_code == 403
    assert "/hotline/calls/" not in client.get("/").content.decode()


def test_home_and_navigation_lead_to_my_calls(world):
    call = _call(world.user(HL))
    home = world.client(HL).get("/").content.decode()
    assert 'href="/hotline/calls/"' in home and f"/hotline/calls/{call.pk}/" in home
    assert "Your role has no case work" not in home
    other = login_as(_second_operator(world)).get("/").content.decode()
    assert f"/hotline/calls/{call.pk}/" not in other and "You have entered no call yet." in other


def test_an_operator_sees_no_public_report_in_the_page(world):
    file_report(text=REPORT["text"] + " Unique public words.")
    page = world.client(HL).get("/hotline/calls/").content.decode()
    assert "No call of yours matches these filters." in page

"""Possible duplicates grouped in the triage queue: the people two reports name are compared
by the linkage engine's name comparison (any script, any spelling), the words when no one is
named; groups are the connected components among the reader's visible reports only; a report
is closed as a duplicate of another by a triage step, audited."""

import datetime

import pytest
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.linkage.name_match import same_person
from crossroads.tips import queries, services, similarity
from crossroads.tips.models import Report

from .helpers import file_report, post_json

pytestmark = pytest.mark.django_db
INV, HL = Role.INVESTIGATOR, Role.HOTLINE_OPERATOR


def _report(text, municipality="AL:Tiranë", **changes) -> Report:
    file_report(text=text, municipality=municipality, **changes)
    return Report.objects.order_by("-id").first()


def _groups(world, role=INV, jurisdiction="AL") -> list[set[int]]:
    return [{r.pk for r in group.reports}
            for group in queries.duplicate_groups(world.user(role, jurisdiction), context="test")]


def test_names_agree_across_scripts_and_spellings():
    ardit = ("Ardit", "Hoxha")
    assert same_person(ardit, ("Ardita", "Hoxhaj")) and same_person(ardit, ("Ардит", "Хоџа"))
    assert same_person(ardit, ("Hoxha", "Ardit"))  # written the other way round
    assert not same_person(ardit, ("Arben", "Hoxha")) and not same_person(ardit, ("Ardit", "Berisha"))
    assert similarity.names("yesterday Ardit Hoxha said: Ардит Хоџа, near the river") == (
        ("Ardit", "Hoxha"), ("Ардит", "Хоџа"))


def test_cyrillic_and_latin_variants_group_with_the_reason(world):
    latin = _report("the boy Ardita Hoxhaj sells flowers at night for a man")
    cyrillic = _report("дечак Ардит Хоџа продаје цвеће ноћу", language="sr-latn")
    unrelated = _report("women work unpaid in a hotel kitchen by the lake")
    assert _groups(world) == [{latin.pk, cyrillic.pk}]
    page = world.client(INV).get("/reports/").content.decode()
    assert "shared names" in page and "Ardita Hoxhaj ~ Ардит Хоџа" in page
    assert "same municipality (Tiranë)" in page
    group = page.split('class="duplicate-group"', 1)[1].split("</div>", 1)[0]
    assert f"R-{unrelated.pk}" not in group
    assert AuditEntry.objects.filter(action="read_identity", details__via="queue").exists()


def test_namesakes_in_different_municipalities_or_other_people_do_not_group(world):
    _report("a man Ardit Hoxha keeps workers in a barn")
    _report("a man Ardit Hoxha keeps workers in a barn", municipality="AL:Durrës")
    _report("a man Arben Hoxha keeps workers in a barn, with Dritan Berisha")
    assert _groups(world) == []


def test_a_chain_makes_one_group_of_three(world):
    a = _report("the driver Ardit Hoxha takes girls across the border")
    b = _report("Ardit Hoxha and Besa Krasniqi were seen at the bus station")
    c = _report("the woman Besa Krasniqi asked for help at the market")
    assert not similarity.match(a, c)
    groups = queries.duplicate_groups(world.user(INV), context="test")
    assert [{r.pk for r in group.reports} for group in groups] == [{a.pk, b.pk, c.pk}]
    assert len(groups[0].links) == 2


def test_reports_weeks_apart_do_not_group(world):
    old = _report("the driver Ardit Hoxha takes girls across the border")
    Report.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - similarity.WINDOW - datetime.timedelta(days=1))
    _report("the driver Ardit Hoxha takes girls across the border again")
    assert _groups(world) == []


def test_without_names_the_words_decide(world):
    text = "workers locked in the bakery behind the station are not paid for months"
    first, second = _report(text), _report(text + " and are beaten")
    _report("children beg at the crossing every evening, someone collects the money")
    assert _groups(world) == [{first.pk, second.pk}]


def test_groups_never_cross_jurisdictions_or_show_an_unseen_report(world):
    al = _report("the driver Ardit Hoxha takes girls across the border")
    _report("the driver Ardit Hoxha takes girls across the border", municipality="ME:Bar")
    assert _groups(world) == []
    assert _groups(world, INV, "RS") == []
    # An operator sees only the calls they entered: their call does not group with the public
    # report they may not see (and the queue is not theirs).
    services.file_report(services.ReportInput(
        text="the driver Ardit Hoxha takes girls across the border", municipality="AL:Tiranë",
        language="sq", channel="phone", call_at=timezone.now()), operator=world.user(HL))
    assert _groups(world, HL) == []
    assert world.client(HL).get("/reports/").status_code == 403
    assert [len(group) for group in _groups(world)] == [2] and al.pk in _groups(world)[0]


def test_mark_a_report_a_duplicate_from_the_group(world):
    first = _report("the driver Ardit Hoxha takes girls across the border")
    second = _report("Ардит Хоџа вози девојке преко границе")
    client = world.client(INV)
    answer = client.post(f"/reports/{second.pk}/", {
        "step": "duplicate", "version": second.version, "duplicate_of": first.pk})
    assert answer.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.no_action_reason, second.duplicate_of_id) == (
        "no_action", "duplicate", first.pk)
    entry = AuditEntry.objects.filter(action="update", object_id=str(second.pk)).latest("id")
    assert entry.details["duplicate_of"] == first.pk
    assert _groups(world) == []  # closed reports leave the groups
    assert f"R-{first.pk}" in client.get(f"/reports/{second.pk}/").content.decode()
    reopened = services.reopen(world.user(INV), second)
    assert reopened.duplicate_of_id is None


def test_a_duplicate_of_nothing_visible_is_refused(world):
    report = _report("the driver Ardit Hoxha takes girls across the border")
    elsewhere = _report("the driver Ardit Hoxha takes girls across the border",
                        municipality="ME:Bar")
    api = world.api(INV)
    for of in (elsewhere.pk, report.pk, 999_999):
        answer = post_json(api, f"/api/v1/reports/{report.pk}/triage",
                           {"step": "duplicate", "duplicate_of": of})
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["body", "duplicate_of"]
    assert Report.objects.get(pk=report.pk).status == "new"


def test_a_duplicate_of_a_duplicate_points_at_the_original(world):
    a = _report("the driver Ardit Hoxha takes girls across the border")
    b = _report("the driver Ardit Hoxha takes girls across the border today")
    c = _report("the driver Ardit Hoxha takes girls across the border, again")
    investigator = world.user(INV)
    services.mark_duplicate(investigator, b, a.pk)
    services.mark_duplicate(investigator, c, b.pk)
    assert Report.objects.get(pk=c.pk).duplicate_of_id == a.pk
    assert world.api(INV).get(f"/api/v1/reports/{c.pk}").json()["duplicate_of"] == a.pk

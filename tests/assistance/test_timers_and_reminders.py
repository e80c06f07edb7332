"""Protection timers per jurisdiction, their states, completion, configuration, and the
reminder task run by the shared runner (`crossroads tasks remind`, `tasks work`)."""

import datetime
import io

from django.core.management import call_command

from crossroads.access.choices import Role
from crossroads.assistance.models import ProtectionTimer, Reminder
from crossroads.assistance.services import identification, timers
from crossroads.audit.models import AuditEntry
from tests.assistance.conftest import post

TODAY = datetime.date.today()


def _identified(world, days_ago=0, **flags):
    police = world.user(Role.INVESTIGATOR)
    victim = world.persons["AL-victim"]
    victim.citizenships = ["XK"]
    victim.save()
    file = identification.open_file(police, world.cases["AL-police"], victim, **flags)
    on = TODAY - datetime.timedelta(days=days_ago)
    identification.decide(police, file, "presumed", "Indicators", on=on)
    identification.decide(police, file, "identified", "Interview", on=on)
    return file


def test_timers_follow_the_jurisdictions_configuration(assist):
    world = assist.world
    coordinator = assist.api(world.user(Role.COORDINATOR))
    page = assist.page(world.user(Role.COORDINATOR))
    refused = page.post("/manage/protection/", {"reflection_days": 20, "residence_permit_days": 60,
                                                "guardian_days": 3})
    assert refused.status_code == 422 and "at least 30 days" in refused.content.decode()
    assert page.post("/manage/protection/", {"reflection_days": 45, "residence_permit_days": 90,
                                             "guardian_days": 2}).status_code == 302
    assert assist.page(world.user(Role.CASE_WORKER)).get("/manage/protection/").status_code == 403
    file = _identified(world, may_be_child=True, unaccompanied=True)
    due = {t.kind: (t.due_on - t.starts_on).days for t in file.timers.all()}
    assert due == {"reflection": 45, "residence_permit": 90, "guardian": 2}
    # RS keeps the defaults.
    assert timers.config_for("RS").reflection_days == 30
    assert coordinator.get("/api/v1/timers").json()["items"] == []  # coordinators: no victim data


def test_states_completion_and_the_api(assist):
    world = assist.world
    file = _identified(world, days_ago=40)
    worker = assist.api(world.user(Role.CASE_WORKER))
    items = worker.get("/api/v1/timers").json()["items"]
    assert [(t["kind"], t["state"]) for t in items] == [("reflection", "overdue")]
    reflection = items[0]
    assert post(worker, f"/api/v1/timers/{reflection['id']}/complete",
                {"outcome": ""}).status_code == 422
    done = post(worker, f"/api/v1/timers/{reflection['id']}/complete",
                {"outcome": "Chose to stay and cooperate"}).json()
    assert done["state"] == "completed" and done["completed_on"] == TODAY.isoformat()
    assert worker.get("/api/v1/timers").json()["items"] == []
    assert file.timers.get(kind="residence_permit").state == "running"


def test_reminder_task_records_due_and_overdue_once(assist):
    world = assist.world
    _identified(world, days_ago=40)
    out = io.StringIO()
    call_command("tasks", "remind", stdout=out)
    call_command("tasks", "work", "--once", stdout=out)
    assert "1 reminder(s)" in out.getvalue()
    assert list(Reminder.objects.values_list("timer__kind", "state")) == [("reflection", "overdue")]
    call_command("tasks", "remind", stdout=out)
    call_command("tasks", "work", "--once", stdout=out)
    assert Reminder.objects.count() == 1  # not twice for the same state
    assert AuditEntry.objects.filter(object_type="assistance.reminderrun",
                                     details__reminders=1).exists()
    timer = ProtectionTimer.objects.get(kind="residence_permit")
    assert timer.state_on(timer.due_on - datetime.timedelta(days=3)) == "due"


def test_marking_a_timer_done_on_the_file_page(assist):
    world = assist.world
    file = _identified(world, days_ago=40)
    timer = file.timers.get(kind="reflection")
    page = assist.page(world.user(Role.CASE_WORKER))
    refused = page.post(f"/assistance/timers/{timer.pk}/done/", {f"t{timer.pk}-outcome": ""})
    assert refused.status_code == 422 and f'id="id_t{timer.pk}-outcome"' in refused.content.decode()
    assert page.post(f"/assistance/timers/{timer.pk}/done/", {
        f"t{timer.pk}-outcome": "Decided to stay"}).status_code == 302
    timer.refresh_from_db()
    assert timer.completed_on == TODAY and timer.outcome == "Decided to stay"


def test_reminder_emails_name_no_one_and_reach_only_those_who_see_the_case(assist, settings,
                                                                          mailoutbox):
    world = assist.world
    settings.CROSSROADS_REMINDER_EMAILS = True
    settings.CROSSROADS_BASE_URL = "https://crossroads.al.example"
    people = {role: world.user(role) for role in (Role.CASE_WORKER, Role.INVESTIGATOR,
                                                   Role.COORDINATOR)}
    people["ngo"] = assist.ngo_worker                  # no access to the police case
    people["rs"] = world.user(Role.INVESTIGATOR, "RS")
    for key, user in people.items():
        user.email = f"{key}@example.org"
        user.save(update_fields=["email"])
    people[Role.CASE_WORKER].language = "sq"
    people[Role.CASE_WORKER].save(update_fields=["language"])
    _identified(world, days_ago=40)
    call_command("tasks", "remind", stdout=io.StringIO())
    call_command("tasks", "work", "--once", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mailoutbox) == ["case_worker@example.org",
                                                    "investigator@example.org"]
    victim, case = world.persons["AL-victim"], world.cases["AL-police"]
    for message in mailoutbox:
        assert "https://crossroads.al.example" in message.body
        for secret in (victim.given_names, victim.family_name, case.reference):
            assert secret not in message.body and secret not in message.subject
    english = next(m for m in mailoutbox if m.to == ["investigator@example.org"])
    assert "1 protection timer is overdue." in english.body
    albanian = next(m for m in mailoutbox if m.to == ["case_worker@example.org"])
    assert "1 protection timer is overdue." not in albanian.body   # in the reader's language
    assert AuditEntry.objects.filter(object_type="assistance.reminderrun",
                                     details__emails=2).exists()
    # The next run finds nothing new: no second e-mail.
    call_command("tasks", "remind", stdout=io.StringIO())
    call_command("tasks", "work", "--once", stdout=io.StringIO())
    assert len(mailoutbox) == 2


def test_a_mail_server_down_does_not_fail_the_reminder_run(assist, settings):
    settings.CROSSROADS_REMINDER_EMAILS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9   # nothing listens there
    investigator = assist.world.user(Role.INVESTIGATOR)
    investigator.email = "investigator@example.org"
    investigator.save(update_fields=["email"])
    _identified(assist.world, days_ago=40)
    out = io.StringIO()
    call_command("tasks", "remind", stdout=out)
    call_command("tasks", "work", "--once", stdout=out)
    assert "done, 1 reminder(s)" in out.getvalue() and Reminder.objects.count() == 1


def test_the_reflection_period_starts_on_reasonable_grounds(assist):
    """CETS 197 Art. 13: a presumed victim has the period; identification does not restart it."""
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    file = identification.open_file(police, world.cases["AL-police"], world.persons["AL-victim"])
    presumed_on = TODAY - datetime.timedelta(days=10)
    identification.decide(police, file, "presumed", "Reasonable grounds", on=presumed_on)
    timer = file.timers.get(kind="reflection")
    assert timer.starts_on == presumed_on
    identification.decide(police, file, "identified", "Interview")
    assert file.timers.get(kind="reflection").starts_on == presumed_on

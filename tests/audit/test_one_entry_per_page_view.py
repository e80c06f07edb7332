"""Issue 21, points 11 and 12: one page view is one audit entry (the review found 4–5
identical rows for one view), and the coordinator's "Protection timers" leads to the timers due
or overdue, not to the settings."""

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry


def test_one_view_of_a_case_page_is_one_entry(world):
    case = world.cases["AL-police"]
    investigator = world.client(Role.INVESTIGATOR)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert investigator.get(f"/cases/{case.pk}/").status_code == 200
    entries = list(AuditEntry.objects.filter(pk__gt=last)
                   .values_list("action", "object_type", "object_id"))
    assert len(entries) == len(set(entries)) == 1, entries


def test_the_coordinators_timers_link_leads_to_the_timers_due(world):
    coordinator = world.client(Role.COORDINATOR)
    home = coordinator.get("/").content.decode()
    assert 'href="/timers/"' in home
    page = coordinator.get("/timers/").content.decode()
    assert "Protection timers due or overdue" in page and 'name="reflection_days"' not in page

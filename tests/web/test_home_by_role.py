"""Issue 21, point 12: each role's home page says what is theirs to do: the coordinator the
releases awaiting their approval (never "Register a victim"), oversight the week's refusals and
break-glass use, a focal point of a node without a hub why no hit arrives."""

from crossroads.access.choices import Role
from crossroads.audit.services import record
from tests.statistics.test_release_workflow import queue, releases, work  # noqa: F401


def test_the_coordinator_sees_releases_to_approve_not_register_a_victim(releases):  # noqa: F811
    world = releases
    release_id = queue(world, {"kind": "synthetic", "epsilon": 0.5}).json()["id"]
    work()
    preparer = world.client(Role.COORDINATOR).get("/").content.decode()
    assert "Register a victim" not in preparer.split("<main", 1)[1]
    assert "awaiting your approval" not in preparer  # four-eyes: not their own
    second = world.client("coordinator_2").get("/").content.decode()
    assert "Releases awaiting your approval" in second and f"release #{release_id}" in second
    other = world.client(Role.COORDINATOR, "RS").get("/").content.decode()
    assert "awaiting your approval" not in other


def test_oversight_home_has_the_weeks_figures_with_links(world):
    record(world.user(Role.INVESTIGATOR), "denied", object_type="registry.case", outcome="denied")
    home = world.client(Role.OVERSIGHT).get("/").content.decode()
    assert "Use the menu above" not in home
    assert "1 refused attempt" in home and "/audit/?action=denied&amp;date_from=" in home
    assert "0 refused attempts" in world.client(Role.OVERSIGHT, "RS").get("/").content.decode()


def test_a_focal_point_without_a_hub_is_told_why(world, settings):
    settings.CROSSROADS_HUB_URL = ""
    focal = world.client(Role.FOCAL_POINT)
    hint = "not connected to a regional hub"
    assert hint in focal.get("/").content.decode()
    assert hint in focal.get("/exchange/hits/").content.decode()
    settings.CROSSROADS_HUB_URL = "https://hub.example"
    assert hint not in focal.get("/").content.decode()
    assert hint not in world.client(Role.CASE_WORKER).get("/").content.decode()

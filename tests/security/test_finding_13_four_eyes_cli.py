"""Finding 13 (issue 13): four-eyes that a typed name satisfied. `release --approved-by NAME`
and `regional publish --approved-by NAME` approved at once on any text, one operator raised a
dataset's ε budget alone, and `ctdc export` acted for no user, outside `restrict`. Now the
command line only prepares (for a named coordinator, `--user`); a second, authenticated
coordinator decides on /releases/; the CTDC export runs as its user, under the policy."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.assistance.services.consent import record_consent
from crossroads.audit.models import AuditEntry
from crossroads.exchange.models import OutboxMessage
from crossroads.regional.receive import KIND
from crossroads.statistics import ledger
from crossroads.statistics.models import BudgetChange, Release
from tests.conftest import login_as
from tests.statistics.test_release_workflow import releases  # noqa: F401 - the fixture

RETIRED = "--approved-by no longer approves: the release is queued; a second coordinator " \
          "approves it on /releases/"


def cli(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_finding_13_a_typed_approver_name_no_longer_approves_a_release(releases):  # noqa: F811
    with pytest.raises(CommandError) as refused:
        cli("release", "tables", "--out", "x", "--approved-by", "anyone", "--user", "al_coordinator")
    assert RETIRED in str(refused.value) and "--user USERNAME" in str(refused.value)
    with pytest.raises(CommandError, match="--out no longer writes"):
        cli("release", "tables", "--out", "x", "--user", "al_coordinator")
    with pytest.raises(CommandError, match="--user USERNAME is required"):
        cli("release", "tables")
    with pytest.raises(CommandError, match="may not prepare releases"):
        cli("release", "tables", "--user", "al_analyst")
    assert not Release.objects.exists()


def test_finding_13_a_cli_release_leaves_only_after_a_second_coordinator(releases):  # noqa: F811
    world = releases
    said = cli("release", "tables", "--user", "al_coordinator")
    made = Release.objects.get()
    assert made.status == "prepared" and made.created_by == world.user(Role.COORDINATOR)
    assert "awaiting approval" in said and "/releases/" in said
    analyst = world.api(Role.ANALYST)
    assert analyst.get("/api/v1/releases").json()["items"] == []
    name = next(iter(made.files))
    assert analyst.get(f"/api/v1/releases/{made.pk}/files/{name}").status_code == 404
    # The requester cannot approve their own release, not even through the API.
    preparer = world.api(Role.COORDINATOR)
    assert preparer.post(f"/api/v1/releases/{made.pk}/approve", {"reason": "mine"},
                         content_type="application/json").status_code == 403
    assert login_as(world.user(Role.COORDINATOR)).post(f"/releases/{made.pk}/approve/").status_code == 403
    made.refresh_from_db()
    assert made.status == "prepared"
    assert login_as(world.user("coordinator_2")).post(f"/releases/{made.pk}/approve/").status_code == 302
    made.refresh_from_db()
    assert made.status == "approved" and made.approved_by == world.user("coordinator_2")
    assert analyst.get(f"/api/v1/releases/{made.pk}/files/{name}").status_code == 200


def test_finding_13_regional_publish_is_sent_only_once_a_second_coordinator_approves(
        db, settings, tmp_path):
    cli("demo", "--seed", "4", "--jurisdiction", "ME", "--persons", "60",
        "--logins", str(tmp_path / "me.json"))
    settings.CROSSROADS_NODE_ID = "ME"
    settings.CROSSROADS_NODE_KEY_FILE = str(tmp_path / "me-node.json")
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path / "releases")
    before = set(Release.objects.values_list("pk", flat=True))  # the demo's own releases
    with pytest.raises(CommandError) as refused:
        cli("regional", "publish", "--jurisdiction", "ME", "--approved-by", "region demo")
    assert RETIRED in str(refused.value)
    with pytest.raises(CommandError, match="not a coordinator of AL"):
        cli("regional", "publish", "--jurisdiction", "AL", "--user", "me_coordinator")
    said = cli("regional", "publish", "--jurisdiction", "ME", "--user", "me_coordinator")
    made = Release.objects.exclude(pk__in=before).get()
    assert made.publish_to_hub and made.status == "prepared" and "awaiting approval" in said
    assert not OutboxMessage.objects.filter(kind=KIND).exists()
    preparer, second = (User.objects.get(username=n) for n in ("me_coordinator", "me_coordinator_2"))
    assert login_as(preparer).post(f"/releases/{made.pk}/approve/").status_code == 403
    assert not OutboxMessage.objects.filter(kind=KIND).exists()
    assert login_as(second).post(f"/releases/{made.pk}/approve/").status_code == 302
    assert OutboxMessage.objects.filter(kind=KIND).count() == 1
    sent = AuditEntry.objects.get(object_type="regional.publication")
    assert sent.actor == "me_coordinator_2" and sent.details["release"] == made.pk


def test_finding_13_a_budget_raise_waits_for_a_second_coordinator(releases):  # noqa: F811
    world = releases
    assert ledger.budget_of("AL").total_epsilon == Decimal(2)
    with pytest.raises(CommandError, match="--user USERNAME is required"):
        cli("privacy_budget", "--jurisdiction", "AL", "--total", "10")
    with pytest.raises(CommandError, match="own jurisdiction"):
        cli("privacy_budget", "--jurisdiction", "RS", "--total", "10", "--user", "al_coordinator")
    said = cli("privacy_budget", "--jurisdiction", "AL", "--total", "10", "--user", "al_coordinator")
    assert "awaits approval" in said and ledger.budget_of("AL").total_epsilon == Decimal(2)
    change = BudgetChange.objects.get()
    with pytest.raises(CommandError, match="already awaits approval"):
        cli("privacy_budget", "--jurisdiction", "AL", "--total", "20", "--user", "al_coordinator_2")
    # The same raise asked on the page by the requester is not theirs to approve.
    requester = login_as(world.user(Role.COORDINATOR))
    page = requester.get("/releases/").content.decode()
    assert "2.000000 → 10.000000" in page and "Another coordinator must approve this change" in page
    assert requester.post(f"/releases/budget/{change.pk}/approve/").status_code == 403
    assert login_as(world.user(Role.COORDINATOR, "RS")).post(
        f"/releases/budget/{change.pk}/approve/").status_code == 404
    assert ledger.budget_of("AL").total_epsilon == Decimal(2)
    second = login_as(world.user("coordinator_2"))
    assert f"/releases/budget/{change.pk}/approve/" in second.get("/releases/").content.decode()
    assert second.post(f"/releases/budget/{change.pk}/approve/").status_code == 302
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == world.user("coordinator_2")
    assert ledger.budget_of("AL").total_epsilon == Decimal(10)
    entry = AuditEntry.objects.filter(object_type="statistics.privacybudget").latest("id")
    assert entry.actor == "al_coordinator_2" and entry.details["requested_by"] == "al_coordinator"
    # Lowering only protects more: it applies at once, from the page too.
    assert requester.post("/releases/", {"form": "budget", "total": "4"}).status_code == 302
    assert ledger.budget_of("AL").total_epsilon == Decimal(4)
    assert requester.post("/releases/", {"form": "budget", "total": "-1"}).status_code == 422


def test_finding_13_ctdc_export_runs_as_its_user_through_the_policy(releases, tmp_path):  # noqa: F811
    world = releases
    for name, owner in (("AL-victim", ("AL", Role.INVESTIGATOR)),
                        ("AL-other-victim", ("AL", "other_investigator")),
                        ("RS-victim", ("RS", Role.INVESTIGATOR))):
        record_consent(world.users[owner], world.persons[name], "research", True)
    out = tmp_path / "ctdc.csv"
    with pytest.raises(CommandError, match="--user USERNAME is required"):
        cli("ctdc", "export", "--layout", "synthetic", "--out", str(out))
    with pytest.raises(CommandError, match="may not export"):
        cli("ctdc", "export", "--layout", "synthetic", "--out", str(out), "--user", "al_analyst")
    assert not out.exists()
    said = cli("ctdc", "export", "--layout", "synthetic", "--out", str(out), "--user", "al_coordinator")
    with pytest.raises(CommandError, match="may not import"):
        cli("ctdc", "import", str(out), "--user", "al_case_worker")
    rows = list(csv.DictReader(out.open(newline="")))
    # AL's two consenting victims; RS's victim is outside the coordinator's jurisdiction.
    assert len(rows) == 2 and "wrote 2 record(s)" in said
    entry = AuditEntry.objects.get(action="export", object_type="registry.exploitationrecord")
    assert entry.actor == "al_coordinator" and entry.details["scope"] == "AL"
    cli("ctdc", "import", str(out), "--user", "al_coordinator")
    assert AuditEntry.objects.get(object_type="statistics.ctdcrecord").actor == "al_coordinator"

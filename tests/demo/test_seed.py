"""The demo command: reproducible synthetic region, logins file, ground truth of duplicates."""

import io
import json
from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from crossroads.access.models import ApiToken, User
from crossroads.campaigns.models import Campaign
from crossroads.demo.models import DuplicatePair
from crossroads.registry.models import Case, ExploitationRecord, Person
from crossroads.tips.models import Report


def test_demo_seeds_two_jurisdictions_and_writes_logins(db, tmp_path):
    logins_file = tmp_path / "demo-logins.json"
    call_command("demo", seed=5, cases=120, logins=str(logins_file))
    logins = json.loads(logins_file.read_text())
    assert {(x["jurisdiction"], x["role"]) for x in logins} == {
        (j, r) for j in ("AL", "RS") for r in (
            "case_worker", "investigator", "prosecutor", "focal_point", "coordinator", "analyst",
            "oversight", "administrator", "hotline_operator")}
    assert set(logins[0]) == {"username", "password", "role", "agency", "jurisdiction", "api_token",
                              "totp_secret"}
    user = User.objects.get(username=logins[0]["username"])
    assert user.check_password(logins[0]["password"])
    assert ApiToken.objects.usable().filter(key_hash=ApiToken.digest(logins[0]["api_token"])).exists()
    assert Case.objects.count() == 120
    assert Person.objects.filter(jurisdiction="RS").exists() and Person.objects.filter(
        jurisdiction="AL").exists()
    assert DuplicatePair.objects.exists()
    # A few synthetic reports from the public per jurisdiction, one of them a hotline call.
    assert Report.objects.filter(jurisdiction="RS", channel="phone").count() == 1
    # Beside them, the closed history that the campaign pages compare: earlier months, no action.
    this_month = timezone.localdate().replace(day=1)
    history = Report.objects.filter(received_at__date__lt=this_month)
    assert Report.objects.filter(jurisdiction="AL").exclude(pk__in=history).count() == 5
    assert history.filter(jurisdiction="AL").count() > 100
    assert not history.exclude(status="no_action").exists()
    assert Campaign.objects.filter(jurisdiction="AL").count() == 2
    shares = Counter(form for r in ExploitationRecord.objects.all() for form in r.forms)
    total = sum(shares.values())
    assert 0.35 < shares["sexual"] / total < 0.65
    assert ExploitationRecord.objects.filter(is_minor=True).exists()
    rs_names = [p.family_name for p in Person.objects.filter(jurisdiction="RS")]
    assert any("\u0400" <= name[0] <= "\u04ff" for name in rs_names)


def test_demo_is_reproducible(db, tmp_path):
    call_command("demo", seed=9, cases=20, logins=str(tmp_path / "a.json"), jurisdictions="AL")
    first = list(Person.objects.order_by("id").values_list("given_names", "family_name"))
    Person.objects.all()  # the same seed gives the same rows in a fresh jurisdiction
    call_command("demo", seed=9, cases=20, logins=str(tmp_path / "b.json"), jurisdictions="RS")
    assert json.loads((tmp_path / "a.json").read_text())[0]["password"] != json.loads(
        (tmp_path / "b.json").read_text())[0]["password"]
    assert len(first) > 20


def test_the_demo_oversight_meets_its_insiders(db, tmp_path):
    from crossroads.oversight.models import Alert, Inquiry

    out = io.StringIO()
    call_command("demo", seed=9, cases=20, logins=str(tmp_path / "a.json"), jurisdictions="AL",
                 stdout=out)
    assert "the first scan raised" in out.getvalue()
    found = {(a.kind, a.username) for a in Alert.objects.filter(jurisdiction="AL")}
    assert {("bulk_export", "al_coordinator"), ("break_glass", "al_focal_point"),
            ("outside_cases", "al_case_worker"), ("official_link", "al_investigator")} <= found
    inquiry = Inquiry.objects.get(jurisdiction="AL")
    assert inquiry.status == "findings_issued" and inquiry.recommendations.count() == 1


def test_the_demo_queues_a_deduplication_that_fills_the_review_queue(db, tmp_path):
    """The seed records some persons twice (ground truth in DuplicatePair) and queues a
    whole-node deduplication per jurisdiction: once the task runner has run it, the review queue
    holds those pairs (issue 21, point 1)."""
    from crossroads.jobs.choices import JobStatus
    from crossroads.linkage.models import DedupeRun, MatchCandidate

    out = io.StringIO()
    call_command("demo", seed=7, cases=60, logins=str(tmp_path / "a.json"), jurisdictions="AL",
                 stdout=out)
    assert "deduplication run" in out.getvalue()
    run = DedupeRun.objects.get(jurisdiction="AL")
    assert run.job.status == JobStatus.QUEUED and not MatchCandidate.objects.exists()
    for _ in range(10):  # the demo queues other jobs too; each pass runs what is due
        call_command("tasks", "work", "--once", stdout=io.StringIO())
        run.job.refresh_from_db()
        if run.job.status != JobStatus.QUEUED:
            break
    assert run.job.status == JobStatus.DONE
    truth = {tuple(sorted(p)) for p in DuplicatePair.objects.values_list("original", "duplicate")}
    found = set(MatchCandidate.objects.values_list("person_a", "person_b"))
    assert truth and len(truth & found) >= len(truth) // 2

"""`crossroads ftm import|export`: FtM JSON lines in and out of a case's network, ids kept on a
round trip, every bad line reported and nothing written, and the policy on the named user."""

import json

import pytest
from django.core.management import CommandError, call_command

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.jobs.choices import JobStatus
from crossroads.jobs.worker import run_now
from crossroads.networks.models import Entity, FtmImport, Link

LINES = [
    {"id": "p-besnik", "schema": "Person", "properties": {"name": ["Besnik Leka"],
                                                          "phone": ["+355 69 123 4567"]}},
    {"id": "c-riviera", "schema": "Company", "properties": {"name": ["Bar Riviera"],
                                                            "jurisdiction": ["al"]}},
    {"id": "a-1", "schema": "BankAccount", "properties": {"iban": ["AL35202111090000000001234567"]}},
    {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["p-besnik"],
                                                          "asset": ["c-riviera"],
                                                          "startDate": ["2024-05"]}},
    {"id": "call-1", "schema": "Call", "properties": {"caller": ["p-besnik"],
                                                      "receiver": ["c-riviera"],
                                                      "date": ["2026-01-04T10:00:00"]}},
]


def write(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_round_trip_keeps_ids_and_counts(world, tmp_path):
    investigator = world.user(Role.INVESTIGATOR)
    source = world.cases["AL-police"]
    call_command("ftm", "import", str(write(tmp_path / "in.ftm.json", LINES)),
                 "--case", source.reference, "--user", investigator.username)
    assert Entity.objects.filter(case=source).count() == 3
    assert Link.objects.filter(case=source).count() == 2
    out = tmp_path / "out.ftm.json"
    call_command("ftm", "export", "--case", source.reference, "--user", investigator.username,
                 "--out", str(out))
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(e["id"] for e in exported) == sorted(e["id"] for e in LINES)
    phone = next(e for e in exported if e["id"] == "p-besnik")["properties"]["phone"]
    assert phone == ["+355691234567"]
    assert AuditEntry.objects.filter(action="export", object_type="registry.case",
                                     object_id=str(source.pk)).exists()
    # The exported file goes into another case unchanged.
    other = world.cases["AL-other"]
    other.team.add(investigator)
    call_command("ftm", "import", str(out), "--case", other.reference,
                 "--user", investigator.username)
    again = tmp_path / "again.ftm.json"
    call_command("ftm", "export", "--case", other.reference, "--user", investigator.username,
                 "--out", str(again))
    assert sorted(again.read_text(encoding="utf-8").splitlines()) == sorted(
        out.read_text(encoding="utf-8").splitlines())


def test_bad_lines_are_all_named_and_nothing_is_written(world, tmp_path, capsys):
    investigator = world.user(Role.INVESTIGATOR)
    rows = [*LINES[:2], {"id": "x", "schema": "Person", "properties": {"phone": ["12"]}},
            {"id": "p-besnik", "schema": "Person", "properties": {}},
            {"id": "y", "schema": "Payment", "properties": {"payer": ["p-besnik"],
                                                            "beneficiary": ["ghost"]}}]
    path = write(tmp_path / "bad.json", rows)
    path.write_text(path.read_text() + "not json\n")
    with pytest.raises(CommandError, match="4 problem"):
        call_command("ftm", "import", str(path), "--case", world.cases["AL-police"].reference,
                     "--user", investigator.username)
    err = capsys.readouterr().err
    for name in ("lines.3.properties.phone", "lines.4.id", "lines.5.properties.beneficiary",
                 "lines.6"):
        assert name in err
    assert not Entity.objects.exists()


@pytest.mark.parametrize("who", [Role.CASE_WORKER, Role.FOCAL_POINT, Role.COORDINATOR,
                                 "other_investigator", "RS"])
def test_who_may_not_import_or_export(world, tmp_path, who):
    user = world.user(Role.INVESTIGATOR, "RS") if who == "RS" else (
        world.users[("AL", who)] if who == "other_investigator" else world.user(who))
    reference = world.cases["AL-police"].reference
    with pytest.raises(CommandError, match="--case"):
        call_command("ftm", "import", str(write(tmp_path / "in.json", LINES)), "--case",
                     reference, "--user", user.username)
    with pytest.raises(CommandError, match="--case"):
        call_command("ftm", "export", "--case", reference, "--user", user.username,
                     "--out", str(tmp_path / "out.json"))
    assert not Entity.objects.exists()


def test_an_h3_case_is_its_teams_only(world, tmp_path):
    h3 = world.cases["AL-h3"]
    with pytest.raises(CommandError, match="--case"):
        call_command("ftm", "export", "--case", h3.reference, "--user",
                     world.user(Role.INVESTIGATOR).username, "--out", str(tmp_path / "o.json"))


def test_a_large_file_is_queued_and_run_by_the_task_runner(world, tmp_path):
    investigator, case = world.user(Role.INVESTIGATOR), world.cases["AL-police"]
    call_command("ftm", "import", str(write(tmp_path / "in.json", LINES)), "--queue",
                 "--case", case.reference, "--user", investigator.username)
    assert not Entity.objects.exists()  # only queued
    queued = FtmImport.objects.get()
    job = run_now(queued.job)
    assert job.status == JobStatus.DONE, job.error
    queued.refresh_from_db()
    assert (queued.entities, queued.links) == (3, 2)
    assert Entity.objects.filter(case=case).count() == 3
    # A bad file: the job ends with its problems kept, nothing written.
    call_command("ftm", "import", str(write(tmp_path / "bad.json", [LINES[3]])), "--queue",
                 "--case", world.cases["AL-police"].reference, "--user", investigator.username)
    bad = FtmImport.objects.latest("pk")
    run_now(bad.job)
    bad.refresh_from_db()
    assert "lines.1.id" in bad.problems and Link.objects.count() == 2

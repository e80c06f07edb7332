"""`crossroads import cases FILE.csv --mapping MAP.yaml --user U` as an operator runs it: the
register's cases, persons and records come in through the registry's services; a dry run and a
rejected file write nothing; skip imports the good rows; a re-run changes nothing; the exit
status says whether a row was rejected."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from crossroads.audit.models import AuditEntry
from crossroads.imports.models import CaseImport, SourceRecord
from crossroads.registry.models import Case, ExploitationRecord, Person

DATA = Path(__file__).resolve().parents[2] / "src" / "crossroads" / "imports" / "data"
MAPPING = DATA / "ngo_register_mapping.yaml"
SAMPLE = DATA / "ngo_register_sample.csv"
HEADER = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
GOOD = ("NGO-9-{n},Drita,Berisha,,Female,14.03.1999,Albania,,02.02.2021,"
        "Sexual exploitation,,Threats,Boyfriend,Albania,Italy,06.2020,Yes,Open,")


def csv_file(tmp_path, *rows: str, name="register.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def run(capsys, path, *options, user="al_case_worker", mapping=MAPPING) -> tuple[int, str, str]:
    """The command's exit status (as `crossroads` exits: a CommandError's return code), its
    output and its errors. Through call_command: run_from_argv would close the test's
    database connection."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "cases", str(path), "--mapping", str(mapping), "--user", user,
                     *options, stdout=out, stderr=err)
        status = 0
    except CommandError as error:
        err.write(str(error))
        status = error.returncode
    return status, out.getvalue(), err.getvalue()


def counts():
    return (Case.objects.count(), Person.objects.count(), ExploitationRecord.objects.count(),
            SourceRecord.objects.count())


def test_the_sample_register_comes_in_as_cases_of_the_users_agency(world, capsys):
    before = counts()
    status, out, err = run(capsys, SAMPLE)
    assert status == 0, err
    assert "6 row(s): 6 new, 0 unchanged, 0 changed in the source (not applied), 0 rejected" in out
    assert counts() == tuple(n + 6 for n in before)
    worker = world.user("case_worker")
    record = SourceRecord.objects.get(system="ngo-register", source_id="NGO-2022-004")
    case, person = record.case, record.person
    assert case.owner_agency_id == worker.agency_id and case.handling_code == "H1"
    assert case.status == "trial"
    assert list(case.status_history.order_by("pk").values_list("to_status", flat=True)) == [
        "open", "investigation", "prosecution", "trial"]
    assert (person.given_names, person.family_name, person.citizenships) == (
        "Blerta", "Gashi", ["AL", "XK"])
    exploitation = ExploitationRecord.objects.get(case=case)
    assert sorted(exploitation.forms) == ["forced_labour", "sexual"]
    assert exploitation.country_of_exploitation == "MK"
    assert sorted(exploitation.means_of_control) == ["debt_bondage", "false_promises"]
    # Written through the register's services: every write audited in the importer's name.
    assert AuditEntry.objects.filter(actor=worker.username, object_type="registry.person",
                                     action="create").count() >= 6
    year_only = SourceRecord.objects.get(source_id="NGO-2021-002").person
    assert year_only.birth_precision == "year"


def test_a_second_run_of_the_same_file_changes_nothing(world, capsys):
    assert run(capsys, SAMPLE)[0] == 0
    before, entries = counts(), AuditEntry.objects.filter(object_type="registry.case").count()
    status, out, _err = run(capsys, SAMPLE)
    assert status == 0
    assert "6 row(s): 0 new, 6 unchanged" in out
    assert counts() == before
    assert AuditEntry.objects.filter(object_type="registry.case").count() == entries


def test_a_row_changed_in_the_source_is_reported_by_field_and_not_applied(world, capsys, tmp_path):
    first = GOOD.format(n=1)
    assert run(capsys, csv_file(tmp_path, first))[0] == 0
    changed = first.replace("Drita", "Dritë").replace("Italy", "Greece")
    status, out, err = run(capsys, csv_file(tmp_path, changed))
    assert status == 0
    assert "0 new, 0 unchanged, 1 changed" in out
    assert "line 2, country_of_exploitation, given_names" in err
    assert SourceRecord.objects.get(source_id="NGO-9-1").person.given_names == "Drita"


BAD = ("NGO-9-bad,Drita,,,Alien,31.02.1999,Atlantis,,02.02.2099,Juggling,,,,,,,Yes,Archived,")


def test_every_error_of_a_bad_row_is_named_by_line_and_field(world, capsys, tmp_path):
    status, _out, err = run(capsys, csv_file(tmp_path, GOOD.format(n=1), BAD), "--dry-run")
    assert status == 1
    for field, column in [("family_name", "Last name"), ("sex", "Gender"),
                          ("birth_date", "Date of birth"), ("citizenships", "Citizenship"),
                          ("opened_on", "Date of first contact"),
                          ("forms", "Type of exploitation"), ("status", "Case status")]:
        assert f"line 3, {field} ({column}): rejected" in err, field


def test_a_dry_run_writes_nothing(world, capsys, tmp_path):
    before, audit = counts(), AuditEntry.objects.exclude(object_type="imports.caseimport").count()
    status, out, _err = run(capsys, SAMPLE, "--dry-run")
    assert status == 0 and "6 would be new" in out
    assert counts() == before
    assert AuditEntry.objects.exclude(object_type="imports.caseimport").count() == audit


def test_reject_writes_nothing_when_a_row_is_bad_and_exits_1(world, capsys, tmp_path):
    before = counts()
    path = csv_file(tmp_path, GOOD.format(n=1), BAD, GOOD.format(n=2))
    status, _out, err = run(capsys, path, "--on-bad-row", "reject")
    assert status == 1 and "nothing was written" in err
    assert counts() == before
    assert CaseImport.objects.get().status == "rejected"


def test_skip_imports_the_good_rows_and_exits_1(world, capsys, tmp_path):
    before = counts()
    path = csv_file(tmp_path, GOOD.format(n=1), BAD, GOOD.format(n=2))
    status, out, err = run(capsys, path, "--on-bad-row", "skip")
    assert status == 1 and "the other rows are imported" in err
    assert "3 row(s): 2 new, 0 unchanged, 0 changed in the source (not applied), 1 rejected" in out
    assert counts() == tuple(n + 2 for n in before)


def test_a_source_id_twice_in_the_file_is_rejected_on_its_second_line(world, capsys, tmp_path):
    path = csv_file(tmp_path, GOOD.format(n=1), GOOD.format(n=1).replace("Drita", "Vesa"))
    status, _out, err = run(capsys, path)
    assert status == 1 and "line 3, source_id (Case no.)" in err and "already on line 2" in err
    assert SourceRecord.objects.count() == 1


@pytest.mark.parametrize("role", ["coordinator", "analyst", "administrator", "oversight"])
def test_roles_that_do_not_register_victims_may_not_import(world, capsys, role):
    before = counts()
    status, _out, err = run(capsys, SAMPLE, user=f"al_{role}")
    assert status == 1 and "may not import cases" in err
    assert counts() == before and not CaseImport.objects.exists()


def test_an_unknown_or_inactive_user_is_refused(world, capsys):
    assert run(capsys, SAMPLE, user="nobody")[0] == 1
    worker = world.user("case_worker")
    worker.is_active = False
    worker.save()
    status, _out, err = run(capsys, SAMPLE)
    assert status == 1 and "no active account" in err


def test_a_user_of_another_jurisdiction_imports_into_their_own(world, capsys):
    assert run(capsys, SAMPLE, user="rs_case_worker")[0] == 0
    assert set(SourceRecord.objects.values_list("jurisdiction_id", flat=True)) == {"RS"}
    assert set(Case.objects.filter(pk__in=SourceRecord.objects.values("case"))
               .values_list("jurisdiction_id", flat=True)) == {"RS"}
    # The same source ids in AL are other rows: a jurisdiction's register is its own.
    status, out, _err = run(capsys, SAMPLE)
    assert status == 0 and "6 new" in out


def test_a_mapping_with_mistakes_is_refused_with_every_mistake(world, capsys, tmp_path):
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("source: {system: x}\ncolumns: {given_names: A, colour: B}\n"
                       "date_formats: ['%d.%m']\nextra: 1\n", encoding="utf-8")
    status, _out, err = run(capsys, SAMPLE, mapping=mapping)
    assert status == 1
    assert "mapping: " in err
    for place in ("source.id_column: This is required", "columns.colour: Unknown field",
                  "date_formats: Give a list", "extra: Unknown section",
                  "columns.family_name: This field is required", "columns.forms: "):
        assert place in err, place
    assert not CaseImport.objects.exists()


def test_a_file_without_the_mapped_columns_is_refused(world, capsys, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,name\n1,A\n", encoding="utf-8")
    status, _out, err = run(capsys, path)
    assert status == 1 and "The file has no column Case no., First name" in err
    assert not CaseImport.objects.exists()


def test_an_import_cut_short_keeps_its_batches_and_a_rerun_continues(world, capsys, tmp_path,
                                                                     monkeypatch):
    from crossroads.imports import services

    monkeypatch.setattr(services, "BATCH", 2)
    written, real = [], services._write_row

    def failing(*args):
        written.append(1)
        if len(written) == 3:
            raise RuntimeError("the disk went away")
        real(*args)

    monkeypatch.setattr(services, "_write_row", failing)
    path = csv_file(tmp_path, *(GOOD.format(n=n) for n in range(5)))
    status, _out, err = run(capsys, path)
    assert status == 1 and "the disk went away" in err
    assert SourceRecord.objects.count() == 2  # the first batch, committed on its own
    assert CaseImport.objects.get().status == "failed"
    monkeypatch.setattr(services, "_write_row", real)
    status, out, _err = run(capsys, path)
    assert status == 0 and "5 row(s): 3 new, 2 unchanged" in out
    assert SourceRecord.objects.count() == 5


def test_the_job_reports_its_progress_to_the_end(world, capsys, tmp_path, monkeypatch):
    from crossroads.imports import services
    from crossroads.jobs.models import Job

    monkeypatch.setattr(services, "BATCH", 2)
    seen = []
    real = services.jobs.progress
    monkeypatch.setattr(services.jobs, "progress",
                        lambda job_id, done, total=None: (seen.append((done, total)),
                                                          real(job_id, done, total)))
    assert run(capsys, csv_file(tmp_path, *(GOOD.format(n=n) for n in range(5))))[0] == 0
    job = Job.objects.get(kind="case_import")
    assert job.status == "done" and job.percent == 100 and "5 new" in job.message
    dones = [done for done, _total in seen]
    assert dones == sorted(dones) and len(dones) >= 6 and seen[-1][0] == seen[-1][1]


def test_the_error_report_is_encrypted_at_rest(world, capsys, tmp_path):
    from django.db import connection

    assert run(capsys, csv_file(tmp_path, BAD), "--dry-run")[0] == 1
    assert "31.02.1999" in str(CaseImport.objects.get().problem_list)
    with connection.cursor() as cursor:
        cursor.execute("SELECT problems FROM imports_caseimport")
        (stored,) = cursor.fetchone()
    assert stored and "31.02.1999" not in stored and "birth_date" not in stored

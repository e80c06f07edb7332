"""The import page as a case worker uses it (upload, preview, start, progress, error report),
and as an attacker tries it: another role, another jurisdiction, another agency, no second
factor, a replayed start."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from crossroads.imports.models import CaseImport, SourceRecord
from crossroads.jobs.models import Job
from tests.conftest import login_as
from tests.imports.test_import_command import GOOD, HEADER, SAMPLE


def upload(client, text: str | None = None, **fields):
    data = {"file": SimpleUploadedFile("register.csv", (text or SAMPLE.read_text()).encode()),
            "on_bad_row": "skip", **fields}
    return client.post("/imports/", data)


def work():
    call_command("tasks", "work", "--once", stdout=io.StringIO())


@pytest.fixture
def worker(world):
    return world.client("case_worker")


def test_upload_preview_start_and_the_outcome(world, worker):
    response = upload(worker)
    prepared = CaseImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{prepared.pk}/"
    page = worker.get(f"/imports/{prepared.pk}/").content.decode()
    assert "The first rows of the file, as they would be imported." in page
    assert page.count("<td>NGO-20") == 6
    assert "NGO-2022-004" in page and "Blerta Gashi" in page and not SourceRecord.objects.exists()
    assert worker.post(f"/imports/{prepared.pk}/start/").status_code == 302
    assert Job.objects.get(kind="case_import").status == "queued"
    work()
    page = worker.get(f"/imports/{prepared.pk}/").content.decode()
    assert "Done" in page and SourceRecord.objects.count() == 6
    assert "Download the error report" not in page
    assert "register.csv" in worker.get("/imports/").content.decode()


def test_a_replayed_start_queues_nothing_more(world, worker):
    upload(worker)
    prepared = CaseImport.objects.get()
    worker.post(f"/imports/{prepared.pk}/start/")
    replay = worker.post(f"/imports/{prepared.pk}/start/", follow=True)
    assert "This import has already been started." in replay.content.decode()
    assert Job.objects.filter(kind="case_import").count() == 1
    work()
    worker.post(f"/imports/{prepared.pk}/start/")
    work()
    assert SourceRecord.objects.count() == 6 and Job.objects.filter(kind="case_import").count() == 1


def test_the_error_report_names_line_and_field_and_is_spreadsheet_safe(world, worker):
    bad = GOOD.format(n=1).replace("Female", "=HYPERLINK(\"http://x\")").replace(
        "02.02.2021", "yesterday")
    upload(worker, "\n".join([HEADER, bad, GOOD.format(n=2)]) + "\n")
    prepared = CaseImport.objects.get()
    page = worker.get(f"/imports/{prepared.pk}/").content.decode()
    assert "is not a date in the mapping" in page
    worker.post(f"/imports/{prepared.pk}/start/")
    work()
    assert SourceRecord.objects.count() == 1
    response = worker.get(f"/imports/{prepared.pk}/errors.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["line", "column", "field", "outcome", "message"]
    found = {(r[0], r[1], r[2], r[3]): r[4] for r in rows[1:]}
    assert ("2", "Date of first contact", "opened_on", "rejected") in found
    assert found[("2", "Gender", "sex", "rejected")].startswith("'=HYPERLINK")


def test_a_mapping_with_mistakes_is_shown_on_the_form_and_nothing_is_kept(world, worker):
    mapping = "source: {system: x}\ncolumns: {colour: A}\n"
    page = upload(worker, mapping=mapping).content.decode()
    assert "This field is required: map a column to it." in page
    assert "Unknown field" in page and not CaseImport.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "oversight", "administrator",
                                  "focal_point"])
def test_roles_that_do_not_register_victims_find_no_import_page(world, role):
    client = world.client(role)
    assert client.get("/imports/").status_code == 404
    assert upload(client).status_code == 404 and not CaseImport.objects.exists()


@pytest.mark.parametrize("who", [("case_worker", "RS"), ("investigator", "AL")])
def test_another_jurisdiction_or_agency_cannot_see_start_or_download(world, worker, who):
    upload(worker, "\n".join([HEADER, GOOD.format(n=1).replace("Drita", "")]) + "\n")
    assert_hidden_from(world.client(*who), CaseImport.objects.get())


def assert_hidden_from(other, prepared):
    """`other` finds nothing of the import: not its page, report or start (404, no job)."""
    for url in (f"/imports/{prepared.pk}/", f"/imports/{prepared.pk}/errors.csv"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/imports/{prepared.pk}/start/").status_code == 404
    assert CaseImport.objects.get().status == "ready"
    assert not Job.objects.filter(kind="case_import").exists()


def test_without_the_second_factor_the_page_asks_for_it(world):
    client = Client()
    client.force_login(world.user("case_worker"))
    response = client.get("/imports/")
    assert response.status_code == 302 and "/mfa/" in response["Location"]
    assert upload(client).status_code == 302 and not CaseImport.objects.exists()


def test_a_dry_run_from_the_page_writes_nothing(world, worker):
    upload(worker, dry_run="on")
    prepared = CaseImport.objects.get()
    worker.post(f"/imports/{prepared.pk}/start/")
    work()
    page = login_as(world.user("case_worker")).get(f"/imports/{prepared.pk}/").content.decode()
    assert "Would be new cases" in page and not SourceRecord.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_with_the_command_to_use(world, worker, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 200
    page = upload(worker).content.decode()
    assert "crossroads import cases" in page and not CaseImport.objects.exists()


def test_the_register_is_kept_sealed_and_removed_once_imported(world, worker):
    from pathlib import Path

    upload(worker)
    prepared = CaseImport.objects.get()
    stored = Path(prepared.path).read_bytes()
    assert stored.startswith(b"CROSSROADS-ARCHIVE-1") and b"Blerta" not in stored
    assert b"NGO-2022-004" not in stored
    worker.post(f"/imports/{prepared.pk}/start/")
    work()
    assert not Path(prepared.path).exists()
    assert CaseImport.objects.get().path == ""

"""A national coordinator imports another agency's register (issue 15, part 8): the agency of
the jurisdiction and the account that leads the cases are chosen on the page; the preview and
the error report name line and field and never show a value of the file; the import runs as a
background job; a second run changes nothing. And as an attacker tries it."""

import csv
import io

import pytest

from crossroads.audit.models import AuditEntry
from crossroads.imports.models import CaseImport, SourceRecord
from crossroads.jobs.models import Job
from crossroads.registry.models import Case, CaseTeamMember
from tests.imports.test_import_command import GOOD, HEADER, SAMPLE
from tests.imports.test_import_pages import assert_hidden_from, upload, work

# names, dates and phones of the shipped sample register: never on a coordinator's page
VALUES = ["Krasniqi", "Arta", "Marković", "Jelena", "14.03.1999", "+355 69 000 0101"]


@pytest.fixture
def coordinator(world):
    return world.client("coordinator")


def shelter(world, code="AL"):
    return world.agencies[(code, "shelter")].pk


def test_the_coordinator_imports_for_the_shelter_without_seeing_a_value(world, coordinator):
    form = coordinator.get("/imports/").content.decode()
    assert "Agency whose register it is" in form and "Lead of the cases" in form
    assert 'href="/imports/"' in coordinator.get("/").content.decode()  # in the menu
    response = upload(coordinator, agency_id=shelter(world), lead="al_case_worker")
    prepared = CaseImport.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert prepared.agency_id == shelter(world) and prepared.lead.username == "al_case_worker"
    page = coordinator.get(f"/imports/{prepared.pk}/").content.decode()
    assert "No name or other value of the file is shown" in page
    assert page.count("<td>New case</td>") == 6
    for value in VALUES + ["NGO-2021-001"]:
        assert value not in page, value
    assert coordinator.post(f"/imports/{prepared.pk}/start/").status_code == 302
    job = Job.objects.get(kind="case_import")
    assert job.status == "queued"
    work()
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100
    page = coordinator.get(f"/imports/{prepared.pk}/").content.decode()
    assert "Done" in page and SourceRecord.objects.count() == 6
    cases = Case.objects.filter(pk__in=SourceRecord.objects.values("case_id"))
    assert set(cases.values_list("owner_agency_id", flat=True)) == {shelter(world)}
    assert all(CaseTeamMember.objects.filter(case=c, user__username="al_case_worker",
                                             team_role="lead").exists() for c in cases)
    # The shelter's own importers see the import that brought their cases in.
    assert world.client("case_worker").get(f"/imports/{prepared.pk}/").status_code == 200
    # Audited: the import in the coordinator's name, naming the lead.
    created = AuditEntry.objects.get(object_type="imports.caseimport", action="create")
    assert created.actor == "al_coordinator" and created.details["lead"] == "al_case_worker"

    # The same file again changes nothing.
    upload(coordinator, agency_id=shelter(world), lead="al_case_worker")
    again = CaseImport.objects.exclude(pk=prepared.pk).get()
    coordinator.post(f"/imports/{again.pk}/start/")
    work()
    again.refresh_from_db()
    assert (again.created, again.unchanged, again.status) == (0, 6, "done")
    assert SourceRecord.objects.count() == 6 and cases.count() == 6


def test_the_error_report_names_line_and_field_and_quotes_no_value(world, coordinator):
    bad = GOOD.format(n=1).replace("02.02.2021", "31.13.2021").replace("Female", "Ferale")
    upload(coordinator, "\n".join([HEADER, bad, GOOD.format(n=2)]) + "\n",
           agency_id=shelter(world), lead="al_case_worker")
    prepared = CaseImport.objects.get()
    page = coordinator.get(f"/imports/{prepared.pk}/").content.decode()
    assert "Date of first contact (opened_on): … is not a date" in page
    for value in ("31.13.2021", "Ferale", "Drita", "Berisha", "14.03.1999"):
        assert value not in page, value
    coordinator.post(f"/imports/{prepared.pk}/start/")
    work()
    assert SourceRecord.objects.count() == 1
    report = coordinator.get(f"/imports/{prepared.pk}/errors.csv").content.decode()
    rows = list(csv.reader(io.StringIO(report)))
    found = {(r[0], r[1], r[2], r[3]) for r in rows[1:]}
    assert ("2", "Date of first contact", "opened_on", "rejected") in found
    assert ("2", "Gender", "sex", "rejected") in found
    for value in ("31.13.2021", "Ferale", "Drita", "Berisha"):
        assert value not in report, value
    # The agency's own importer, who may see the register, gets the values quoted.
    mine = world.client("case_worker")
    upload(mine, "\n".join([HEADER, bad]) + "\n")
    own = CaseImport.objects.filter(lead__isnull=True).get()
    assert "31.13.2021 is not a date" in mine.get(f"/imports/{own.pk}/").content.decode()


@pytest.mark.parametrize("fields, error", [
    ({"agency_id": "", "lead": "al_case_worker"}, "Agency whose register it is"),
    ({"agency": "RS", "lead": "rs_case_worker"}, "Agency whose register it is"),
    ({"lead": "al_investigator"}, "Name an active case worker, investigator or prosecutor"),
    ({"lead": "al_coordinator"}, "Name an active case worker, investigator or prosecutor"),
    ({"lead": "rs_case_worker"}, "Name an active case worker, investigator or prosecutor"),
    ({"lead": "nobody"}, "Name an active case worker, investigator or prosecutor"),
], ids=["no agency", "other jurisdiction's agency", "lead of another agency",
        "a coordinator as lead", "lead of another jurisdiction", "unknown lead"])
def test_the_agency_and_the_lead_are_checked(world, coordinator, fields, error):
    agency = {"agency_id": world.agencies[("RS", "shelter")].pk} if fields.get("agency") else \
        {"agency_id": shelter(world)}
    body = {**agency, **{k: v for k, v in fields.items() if k != "agency"}}
    response = upload(coordinator, **body)
    assert response.status_code == 200 and error in response.content.decode()
    assert not CaseImport.objects.exists()


def test_who_imports_for_their_own_agency_cannot_name_another(world):
    worker = world.client("case_worker")
    response = upload(worker, agency_id=world.agencies[("AL", "police")].pk,
                      lead="al_investigator")
    assert response.status_code == 302  # the fields are not on their form: ignored
    assert CaseImport.objects.get().agency_id == shelter(world)
    assert CaseImport.objects.get().lead is None


@pytest.mark.parametrize("who", [("coordinator", "RS"), ("analyst", "AL"),
                                 ("investigator", "AL"), ("oversight", "AL")])
def test_others_cannot_see_start_or_download_a_coordinators_import(world, coordinator, who):
    upload(coordinator, agency_id=shelter(world), lead="al_case_worker")
    assert_hidden_from(world.client(*who), CaseImport.objects.get())


def test_a_lead_deactivated_before_the_start_stops_the_import(world, coordinator):
    upload(coordinator, SAMPLE.read_text(), agency_id=shelter(world), lead="al_case_worker")
    prepared = CaseImport.objects.get()
    lead = world.user("case_worker")
    lead.is_active = False
    lead.save(update_fields=["is_active"])
    page = coordinator.get(f"/imports/{prepared.pk}/").content.decode()
    assert "no longer active" in page and "Start the import" not in page
    answer = coordinator.post(f"/imports/{prepared.pk}/start/", follow=True)
    assert answer.status_code == 200 and "no longer active" in answer.content.decode()
    assert not Job.objects.filter(kind="case_import").exists()

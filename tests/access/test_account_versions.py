"""Optimistic concurrency on the administrators' account and agency forms (issue 23): a form
filled from an older version of the record than the stored one saves nothing, answers 409 and
shows the newer values; an approved change moves the version too."""

from crossroads.access.choices import Role
from crossroads.access.models import Agency, ApprovalRequest, User
from crossroads.audit.models import AuditEntry
from tests.access.test_four_eyes import admins, api_for, edit  # noqa: F401
from tests.conftest import login_as
from tests.security.test_finding_09_agencies import agency_form

STALE = "Someone changed this record after you opened the form"


def test_a_stale_account_form_saves_nothing_and_shows_the_newer_values(world, admins):  # noqa: F811
    a, b = admins
    analyst = world.user(Role.ANALYST)
    read = User.objects.get(pk=analyst.pk).version
    # B corrects the name first (applies at once and moves the version on).
    assert edit(login_as(b), analyst, first_name="Besa").status_code == 302
    analyst.refresh_from_db()
    assert analyst.first_name == "Besa" and analyst.version == read + 1
    entries = AuditEntry.objects.count()
    # A's form, filled before B's change, would put the old name back and deactivate.
    stale = edit(login_as(a), analyst, first_name="Arta", is_active="", version=read)
    assert stale.status_code == 409
    page = stale.content.decode()
    assert STALE in page and 'value="Besa"' in page and f'value="{read + 1}"' in page
    analyst.refresh_from_db()
    assert analyst.first_name == "Besa" and analyst.is_active and analyst.version == read + 1
    assert AuditEntry.objects.count() == entries
    # Submitted again from the newer values, it applies.
    assert edit(login_as(a), analyst, first_name="Arta").status_code == 302
    analyst.refresh_from_db()
    assert analyst.first_name == "Arta" and analyst.version == read + 2


def test_a_stale_form_asks_for_nothing_to_be_approved(world, admins):  # noqa: F811
    a, b = admins
    analyst = world.user(Role.ANALYST)
    read = User.objects.get(pk=analyst.pk).version
    edit(login_as(b), analyst, last_name="Hoxha")
    stale = edit(login_as(a), analyst, role="investigator", version=read)
    assert stale.status_code == 409
    assert not ApprovalRequest.objects.filter(target=analyst).exists()


def test_an_approved_change_outdates_the_forms_filled_before_it(world, admins):  # noqa: F811
    a, b = admins
    analyst = world.user(Role.ANALYST)
    assert edit(login_as(a), analyst, role="investigator").status_code == 302
    read = User.objects.get(pk=analyst.pk).version  # a request waits: nothing applied yet
    request = ApprovalRequest.objects.get(target=analyst)
    assert api_for(world, b).post(f"/api/v1/approvals/{request.pk}/approve", {"reason": "ok"},
                                  content_type="application/json").status_code == 200
    analyst.refresh_from_db()
    assert analyst.role == Role.INVESTIGATOR and analyst.version == read + 1
    stale = edit(login_as(b), analyst, role="analyst", first_name="Old", version=read)
    assert stale.status_code == 409
    analyst.refresh_from_db()
    assert analyst.role == Role.INVESTIGATOR and analyst.first_name == ""


def test_an_account_form_without_its_version_is_refused(world, admins):  # noqa: F811
    a, _b = admins
    analyst = world.user(Role.ANALYST)
    response = edit(login_as(a), analyst, first_name="Arta", version="")
    assert response.status_code == 422
    assert "This form is out of date" in response.content.decode()
    analyst.refresh_from_db()
    assert analyst.first_name == ""


def test_a_stale_agency_form_saves_nothing_and_shows_the_newer_values(world, admins):  # noqa: F811
    a, b = admins
    ngo = world.agencies[("AL", "ngo")]
    read = Agency.objects.get(pk=ngo.pk).version
    assert login_as(b).post(f"/manage/agencies/{ngo.pk}/",
                            agency_form(ngo, name="Renamed NGO")).status_code == 302
    ngo.refresh_from_db()
    assert ngo.name == "Renamed NGO" and ngo.version == read + 1
    stale = login_as(a).post(f"/manage/agencies/{ngo.pk}/",
                             agency_form(ngo, name="Other name", active="", version=read))
    assert stale.status_code == 409
    page = stale.content.decode()
    assert STALE in page and 'value="Renamed NGO"' in page
    ngo.refresh_from_db()
    assert ngo.name == "Renamed NGO" and ngo.active and ngo.version == read + 1


def test_an_approved_agency_change_outdates_earlier_forms(world, admins):  # noqa: F811
    a, b = admins
    shelter = world.agencies[("AL", "shelter")]
    assert login_as(a).post(f"/manage/agencies/{shelter.pk}/",
                            agency_form(shelter, kind="ngo")).status_code == 302
    read = Agency.objects.get(pk=shelter.pk).version
    request = ApprovalRequest.objects.get(target_agency=shelter)
    assert api_for(world, b).post(f"/api/v1/approvals/{request.pk}/approve", {"reason": "ok"},
                                  content_type="application/json").status_code == 200
    shelter.refresh_from_db()
    assert shelter.kind == "ngo" and shelter.version == read + 1
    stale = login_as(b).post(f"/manage/agencies/{shelter.pk}/",
                             agency_form(shelter, active="", version=read))
    assert stale.status_code == 409
    shelter.refresh_from_db()
    assert shelter.active


def test_another_jurisdictions_administrator_still_gets_404(world, admins):  # noqa: F811
    ngo = world.agencies[("AL", "ngo")]
    other = login_as(world.user(Role.ADMINISTRATOR, "RS"))
    response = other.post(f"/manage/agencies/{ngo.pk}/", agency_form(ngo, name="Taken"))
    assert response.status_code == 404
    ngo.refresh_from_db()
    assert ngo.name != "Taken"

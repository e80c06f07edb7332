"""Every cell of the grid role × jurisdiction × agency × action × object type, through the API
and the pages. The expected answers are written out here from the rules as a person states
them, independently of the policy code; each subject walks every cell and the test lists all
mismatches at once.

Objects all belong to AL: case "AL-police" (owned by the AL police, assigned to the AL shelter,
team: investigator and prosecutor), case "AL-other" (owned by a second police agency), case
"AL-h3" (handling code H3, team of a colleague only), their victims and the suspect. Each
case is led by its opener (the investigator, the other investigator, the colleague).
"""

import datetime

import pytest
from django.db import transaction

from crossroads.access.choices import Role
from crossroads.assistance.models import Shelter
from crossroads.campaigns import services as campaigns
from crossroads.imports import services as imports
from crossroads.imports.mapping import SAMPLE as SAMPLE_MAPPING
from crossroads.investigations import services as investigations
from crossroads.investigations.models import Offence
from crossroads.oversight import services as oversight
from crossroads.registry.models import Case, Person
from tests.conftest import login
from tests.registry.test_api import REGISTRATION

CW, INV, PRO, FP, CO, AN, OV, AD = (Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR,
                                    Role.FOCAL_POINT, Role.COORDINATOR, Role.ANALYST,
                                    Role.OVERSIGHT, Role.ADMINISTRATOR)
OTHER = "other_investigator"  # an investigator of the second AL police agency
SAMPLE_REGISTER = SAMPLE_MAPPING.with_name("ngo_register_sample.csv")

# Who may, among AL subjects (RS subjects may do nothing with AL objects).
SEES_CASE = {"AL-police": {CW, INV, PRO, FP, CO}, "AL-other": {CO, OTHER}, "AL-h3": set()}
CHANGES_CASE = {"AL-police": {CW, INV, PRO}, "AL-other": {OTHER}, "AL-h3": set()}
# Moving a case's status: police and prosecution; a case worker only in their own agency's case.
MOVES_STATUS = {"AL-police": {INV, PRO}, "AL-other": {OTHER}, "AL-h3": set()}
SEES_PERSON = {"AL-victim": {CW, INV, PRO, FP}, "AL-suspect": {INV, PRO, FP},
               "AL-other-victim": {OTHER}}
LEADS = {"AL-police": INV, "AL-other": OTHER, "AL-h3": None}  # opened them
CHANGES_PERSON = {"AL-victim": {CW, INV, PRO}, "AL-suspect": {INV, PRO},
                  "AL-other-victim": {OTHER}}
CAMPAIGN = {"title": "Grid campaign", "starts_on": "2025-03-01", "ends_on": "2025-05-31",
            "areas": ["Durrës"], "channel": "radio", "audience": "general", "languages": ["sq"],
            "cost": "100.00", "funding_line": "Grid line"}
OFFENCE = {"article": "110/a", "title": "Trafficking in persons", "source": "Grid", "checked": True}
SUBJECTS = [(role, j) for j in ("AL", "RS") for role in Role] + [(OTHER, "AL")]


def expect(allowed: bool, visible: bool, ok: int = 200) -> int:
    return ok if allowed else (403 if visible else 404)


def in_rollback(call):
    """Run a writing request and undo it, so every cell starts from the same state."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


def cells(world, key, jurisdiction):
    """(name, request, expected status) for every cell of one subject."""
    home = jurisdiction == "AL"
    api, page = world.api_for(key, jurisdiction), world.page_for(key, jurisdiction)
    json = {"content_type": "application/json"}
    for name in SEES_CASE:
        case = world.cases[name]
        sees = home and key in SEES_CASE[name]
        changes = home and key in CHANGES_CASE[name]
        moves = home and key in MOVES_STATUS[name]
        yield f"case {name} view api", lambda c=case: api.get(f"/api/v1/cases/{c.pk}"), expect(sees, sees)
        yield f"case {name} view page", lambda c=case: page.get(f"/cases/{c.pk}/"), expect(sees, sees)
        yield (f"case {name} change api", lambda c=case: in_rollback(lambda: api.post(
            f"/api/v1/cases/{c.pk}/status", {"status": "investigation"}, **json)),
            expect(moves, sees))
        yield (f"case {name} change page", lambda c=case: in_rollback(lambda: page.post(
            f"/cases/{c.pk}/status/", {"status": "investigation", "version": c.version})),
            expect(moves, sees, 302))
        # The team: seen as the case; changed by the case's lead only (403 for the others who
        # see it). A raise of the handling code: whoever changes the case.
        leads = changes and LEADS[name] == key
        yield (f"team {name} view api", lambda c=case: api.get(f"/api/v1/cases/{c.pk}/team"),
               expect(sees, sees))
        yield (f"team {name} change api", lambda c=case: in_rollback(lambda: api.post(
            f"/api/v1/cases/{c.pk}/team", {"username": "al_focal_point", "team_role": "investigator"},
            **json)), expect(leads, sees, 201))
        yield (f"team {name} view page", lambda c=case: page.get(f"/cases/{c.pk}/team/"),
               expect(sees, sees))
        yield (f"team {name} change page", lambda c=case: in_rollback(lambda: page.post(
            f"/cases/{c.pk}/team/add/", {"username": "al_focal_point", "team_role": "investigator",
                                         "version": Case.objects.get(pk=c.pk).version})),
            expect(leads, sees, 302))
        yield (f"handling code {name} raise page", lambda c=case: in_rollback(lambda: page.post(
            f"/cases/{c.pk}/handling/request/", {"handling_code": "H2", "reason": "grid",
                                                 "version": Case.objects.get(pk=c.pk).version})),
            expect(changes, sees, 302))
        # The case log: law enforcement who see the case (never case workers or coordinators).
        logs = sees and key in {INV, PRO, FP, OTHER}
        yield (f"case log {name} view page", lambda c=case: page.get(f"/cases/{c.pk}/log/"),
               expect(logs, sees))
        yield (f"handling code {name} raise api", lambda c=case: in_rollback(lambda: api.post(
            f"/api/v1/cases/{c.pk}/handling-code", {"handling_code": "H2", "reason": "grid"},
            **json)), expect(changes, sees, 201))
        record = case.exploitation_records.first()
        yield (f"exploitation {name} view api",
               lambda r=record: api.get(f"/api/v1/exploitation-records/{r.pk}"), expect(sees, sees))
        victim = case.involvements.get(role="victim").person
        yield (f"exploitation {name} create api", lambda c=case, v=victim: in_rollback(
            lambda: api.post(f"/api/v1/cases/{c.pk}/exploitation-records",
                             {"person_id": v.pk, "forms": ["other"]}, **json)),
            # Creating needs the victim visible too (404 otherwise) and the case changeable.
            expect(changes, sees and key in SEES_PERSON.get(
                "AL-victim" if name == "AL-police" else "AL-other-victim", set()), 201)
            if name != "AL-h3" else 404)
    for name in SEES_PERSON:
        person = world.persons[name]
        sees = home and key in SEES_PERSON[name]
        changes = home and key in CHANGES_PERSON[name]
        yield (f"person {name} view api", lambda p=person: api.get(f"/api/v1/persons/{p.pk}"),
               expect(sees, sees))
        yield f"person {name} view page", lambda p=person: page.get(f"/persons/{p.pk}/"), expect(sees, sees)
        body = {"given_names": "Changed", "family_name": "Name", "sex": person.sex,
                "birth_date": str(person.birth_date)}
        yield (f"person {name} change api", lambda p=person, b=body: in_rollback(
            lambda: api.put(f"/api/v1/persons/{p.pk}", b, **json)), expect(changes, sees))
        yield (f"person {name} edit page", lambda p=person: page.get(f"/persons/{p.pk}/edit/"),
               expect(changes, sees))
        yield (f"person {name} change page", lambda p=person, b=body: in_rollback(
            lambda: page.post(f"/persons/{p.pk}/edit/", {
                **b, "birth_precision": "exact", "version": Person.objects.get(pk=p.pk).version,
                "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0"})),
            expect(changes, sees, 302))
    registers = key in {CW, INV, PRO, OTHER}
    yield ("registration create api", lambda: in_rollback(
        lambda: api.post("/api/v1/registrations", REGISTRATION, **json)),
        expect(registers, True, 201))
    yield "registration page", lambda: page.get("/register/"), expect(registers, True)
    suspect_case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    # Adding a suspect: the case and the person must be visible (404), the role must be one
    # that handles suspects and changes the case (403).
    adds = {INV: 201, PRO: 201, CW: 403, FP: 403}
    yield ("involvement suspect create api", lambda: in_rollback(lambda: api.post(
        f"/api/v1/cases/{suspect_case.pk}/involvements",
        {"person_id": victim.pk, "role": "suspect"}, **json)),
        adds.get(key, 404) if home else 404)
    # A new suspect put into a case: the roles that change the case and add suspects.
    sees_police = home and key in SEES_CASE["AL-police"]
    yield ("case person suspect create api", lambda: in_rollback(lambda: api.post(
        f"/api/v1/cases/{suspect_case.pk}/persons",
        {"person": {"given_names": "Grid", "family_name": "Suspect"}, "role": "suspect"}, **json)),
        expect(sees_police and key in {INV, PRO}, sees_police, 201))
    yield ("case person suspect create page", lambda: in_rollback(lambda: page.post(
        f"/cases/{suspect_case.pk}/persons/new/",
        {"given_names": "Grid", "family_name": "Suspect", "sex": "M", "birth_precision": "exact",
         "role": "suspect"})), expect(sees_police and key in {INV, PRO}, sees_police, 302))
    police = world.agencies[("AL", "prosecution")]
    yield ("case owner transfer api", lambda: in_rollback(lambda: api.post(
        f"/api/v1/cases/{suspect_case.pk}/owner",
        {"agency_id": police.pk, "lead": "al_prosecutor", "reason": "grid"}, **json)),
        expect(sees_police and key == INV, sees_police, 201))
    # The case log's evidence: law enforcement of the case only (case workers never).
    reads_log = home and key in {INV, PRO, FP}
    yield ("evidence download api", lambda: api.get(f"/api/v1/evidence/{world.evidence.pk}"),
           expect(reads_log, reads_log))
    yield ("evidence download page", lambda: page.get(f"/evidence/{world.evidence.pk}/"),
           expect(reads_log, reads_log))
    yield ("proceedings page", lambda: page.get(f"/cases/{suspect_case.pk}/proceedings/"),
           expect(reads_log, sees_police))
    exchange = key == FP  # the focal points of every jurisdiction (each sees their own)
    yield "exchange hits api", lambda: api.get("/api/v1/exchange/hits"), expect(exchange, True)
    yield "exchange requests api", lambda: api.get("/api/v1/exchange/requests"), expect(exchange, True)
    yield "exchange hits page", lambda: page.get("/exchange/hits/"), expect(exchange, True)
    yield "exchange requests page", lambda: page.get("/exchange/requests/"), expect(exchange, True)
    regional = key == AN  # released aggregates only (on a node the page points to the hub)
    yield "regional statistics api", lambda: api.get("/api/v1/regional/tables"), expect(regional, True)
    yield "regional statistics page", lambda: page.get("/regional/"), expect(regional, True)
    yield "regional heat map api", lambda: api.get("/api/v1/regional/scorecards"), expect(regional, True)
    yield "regional heat map page", lambda: page.get("/regional/scorecards/"), expect(regional, True)
    audit = key == OV
    yield "audit view api", lambda: api.get("/api/v1/audit"), expect(audit, True)
    yield "audit view page", lambda: page.get("/audit/"), expect(audit, True)
    # Oversight of every jurisdiction reads its own alerts and access reports (AL's person
    # shows an RS oversight an empty report: the entries are AL's).
    yield "oversight alerts api", lambda: api.get("/api/v1/oversight/alerts"), expect(audit, True)
    yield "oversight alerts page", lambda: page.get("/oversight/"), expect(audit, True)
    yield ("oversight person access api",
           lambda: api.get(f"/api/v1/oversight/persons/{victim.pk}/access"), expect(audit, True))
    yield ("oversight person access page",
           lambda: page.get(f"/oversight/persons/{victim.pk}/access/"), expect(audit, True))
    # Inquiries: the oversight of AL only (404 for RS oversight, 403 for every other role);
    # the inquiry (about the AL police) waits with its findings issued and a recommendation.
    inquiry, rec = world.inquiry, world.recommendation
    runs = expect(audit and home, home or not audit)
    yield "oversight inquiries api", lambda: api.get("/api/v1/oversight/inquiries"), expect(audit, True)
    yield "oversight inquiries page", lambda: page.get("/oversight/inquiries/"), expect(audit, True)
    yield "oversight complaint page", lambda: page.get("/oversight/inquiries/complaint/"), expect(
        audit, True)
    yield ("oversight inquiry view api",
           lambda: api.get(f"/api/v1/oversight/inquiries/{inquiry.pk}"), runs)
    yield "oversight inquiry view page", lambda: page.get(f"/oversight/inquiries/{inquiry.pk}/"), runs
    yield ("oversight inquiry change api", lambda: in_rollback(lambda: api.post(
        f"/api/v1/oversight/inquiries/{inquiry.pk}/status", {"status": "closed"}, **json)), runs)
    yield ("oversight inquiry change page", lambda: in_rollback(lambda: page.post(
        f"/oversight/inquiries/{inquiry.pk}/", {"step": "status", "status": "closed",
                                                "version": inquiry.version})),
           expect(audit and home, home or not audit, 302))
    yield ("oversight recommendation answer api", lambda: in_rollback(lambda: api.post(
        f"/api/v1/oversight/recommendations/{rec.pk}/answer", {
            "status": "accepted", "answer": "By letter.",
            "answered_on": str(datetime.date.today())}, **json)), runs)
    admin = key == AD
    account, agency = world.user(AN, "AL"), world.agencies[("AL", "police")]
    # Other roles may not manage at all (403); another jurisdiction's administrator may not
    # know the account exists (404).
    manages = 200 if admin and home else (404 if admin else 403)
    yield "account change page", lambda: page.get(f"/manage/accounts/{account.pk}/"), manages
    yield "agency change page", lambda: page.get(f"/manage/agencies/{agency.pk}/"), manages
    # The referral mechanism (crossroads/assistance/rules.py): its pages need the capability
    # (403), then the case (404).
    assists = key in {CW, INV, PRO, OTHER}
    case = world.cases["AL-police"]
    yield ("assistance case page", lambda: page.get(f"/cases/{case.pk}/assistance/"),
           (200 if home and key in SEES_CASE["AL-police"] else 404) if assists else 403)
    referral_roles = {CW, INV, PRO, CO, OTHER}
    yield "referrals page", lambda: page.get("/referrals/"), expect(key in referral_roles, True)
    yield "shelter capacity page", lambda: page.get("/shelters/"), expect(key in referral_roles, True)
    yield "protection timers page", lambda: page.get("/manage/protection/"), expect(key == CO, True)
    # Shelters: the case workers of the agency that runs one keep its register; those who see
    # shelters (the referral roles of the jurisdiction) learn that it exists, nobody else.
    yield ("shelter register api", lambda: in_rollback(lambda: api.post(
        "/api/v1/shelters", {"name": "Grid House", "capacity": 2}, **json)),
           expect(key == CW, True, 201))
    sees_shelter = home and key in referral_roles
    yield ("shelter change api", lambda: in_rollback(lambda: api.put(
        f"/api/v1/shelters/{world.shelter.pk}", {"name": "Grid Shelter", "capacity": 4}, **json)),
           expect(home and key == CW, sees_shelter))
    # Statistics: coordinators only, each of their own jurisdiction's records (403 otherwise).
    statistics = expect(key == CO, True)
    yield "statistics page", lambda: page.get("/statistics/victims/"), statistics
    yield "statistics csv", lambda: page.get("/statistics/tables/sex.csv"), statistics
    yield "statistics api", lambda: api.get("/api/v1/statistics/tables/sex"), statistics
    # Releases: coordinators prepare and approve them; analysts read the approved ones. Each
    # jurisdiction's subjects see their own (RS alike), so these cells do not depend on `home`.
    prepares, reads = key == CO, key in {CO, AN}
    yield "releases page", lambda: page.get("/releases/"), expect(prepares, True)
    yield "release catalogue page", lambda: page.get("/releases/catalogue/"), expect(reads, True)
    yield "releases api", lambda: api.get("/api/v1/releases"), expect(reads, True)
    yield "privacy ledger api", lambda: api.get("/api/v1/privacy-ledger"), expect(reads, True)
    # Imports: the roles that register victims, each into their own agency, and coordinators
    # for another agency of theirs (404 otherwise); an import is seen by the importers of its
    # agency (the AL shelter's case workers) and the coordinator who asked for it (nobody here).
    importers = {CW, INV, PRO, OTHER, CO}
    yield "import page", lambda: page.get("/imports/"), 200 if key in importers else 404
    found = world.shelter_import
    yield ("shelter's import page", lambda: page.get(f"/imports/{found.pk}/"),
           200 if home and key == CW else 404)
    yield ("shelter's import error report", lambda: page.get(f"/imports/{found.pk}/errors.csv"),
           200 if home and key == CW else 404)
    # Awareness campaigns: the coordinators of the jurisdiction keep the register and read the
    # reports (an RS coordinator sees an RS register, without the AL campaign; Serbia has no
    # municipality list yet, so registering there is a 422 naming the areas).
    keeps = key == CO
    mine = 200 if keeps and home else (404 if keeps else 403)
    campaign = world.campaign
    yield "campaigns page", lambda: page.get("/campaigns/"), expect(keeps, True)
    yield "campaigns api", lambda: api.get("/api/v1/campaigns"), expect(keeps, True)
    yield "campaign view api", lambda: api.get(f"/api/v1/campaigns/{campaign.pk}"), mine
    yield "campaign report page", lambda: page.get(f"/campaigns/{campaign.pk}/"), mine
    yield ("campaign change api", lambda: in_rollback(lambda: api.put(
        f"/api/v1/campaigns/{campaign.pk}", CAMPAIGN, **json)), mine)
    yield ("campaign create api", lambda: in_rollback(lambda: api.post(
        "/api/v1/campaigns", CAMPAIGN, **json)), (201 if home else 422) if keeps else 403)
    # The offence catalogue: every account of the jurisdiction reads it through the API; its
    # coordinators correct it (the page is theirs only, each of their own jurisdiction).
    offence, maintains = world.offence, key == CO
    yield "offence catalogue page", lambda: page.get("/offences/"), expect(maintains, True)
    yield ("offence entry page", lambda: page.get(f"/offences/{offence.pk}/"),
           expect(home and maintains, home))
    yield ("offence change page", lambda: in_rollback(lambda: page.post(
        f"/offences/{offence.pk}/", {**OFFENCE, "version": offence.version})),
        expect(home and maintains, home, 302))
    yield ("offence change api", lambda: in_rollback(lambda: api.put(
        f"/api/v1/offences/{offence.pk}", OFFENCE, **json)), expect(home and maintains, home))


@pytest.fixture
def grid_world(world):
    from django.test import Client

    def user(key, jurisdiction):
        return world.users[(jurisdiction, key)]

    world.api_for = lambda key, j: Client(headers={
        "Authorization": f"Bearer {world.tokens.setdefault(user(key, j).username, _token(user(key, j)))}"})
    world.page_for = lambda key, j: login(Client(), user(key, j))
    investigator = world.user(INV, "AL")
    event = investigations.add_event(investigator, world.cases["AL-police"], investigations.EventInput(
        kind="search", occurred_on=datetime.date(2024, 1, 5), narrative="Flat searched."))
    world.evidence = investigations.attach_evidence(investigator, event, "list.txt", b"Items\n")
    world.shelter = Shelter.objects.create(agency=world.agencies[("AL", "shelter")],
                                           name="Grid Shelter", capacity=3)
    with SAMPLE_REGISTER.open("rb") as register:
        world.shelter_import = imports.prepare_import(world.user(CW, "AL"), imports.ImportInput(
            file=register, file_name="register.csv", mapping=SAMPLE_MAPPING.read_text()))
    world.offence = Offence.objects.get(jurisdiction_id="AL", code="thb")
    world.campaign = campaigns.register_campaign(world.user(CO, "AL"), campaigns.CampaignInput(
        **{**CAMPAIGN, "starts_on": datetime.date(2025, 3, 1), "ends_on": datetime.date(2025, 5, 31)}))
    ombudsman, police = world.user(OV, "AL"), world.agencies[("AL", "police")]
    world.inquiry = oversight.open_from_complaint(ombudsman, oversight.ComplaintInput(
        subject="Grid complaint", complainant="Grid", received_on=datetime.date.today(),
        agency_id=police.pk))
    for step in ("investigating", "findings_issued"):
        if step == "findings_issued":
            oversight.write_findings(ombudsman, world.inquiry.pk, "Grid findings.")
        oversight.move_inquiry(ombudsman, world.inquiry.pk, step)
    world.recommendation = oversight.recommend(ombudsman, world.inquiry.pk, oversight.RecommendationInput(
        police.pk, "Grid recommendation.", datetime.date.today() + datetime.timedelta(days=9)))
    world.inquiry.refresh_from_db()
    return world


def _token(user):
    from crossroads.access.models import ApiToken

    return ApiToken.issue(user, "grid", scope="write")[1]


@pytest.mark.parametrize(("key", "jurisdiction"), SUBJECTS,
                         ids=[f"{j}-{k}" for k, j in SUBJECTS])
def test_every_cell(grid_world, key, jurisdiction):
    mismatches = []
    count = 0
    for name, call, expected in cells(grid_world, key, jurisdiction):
        count += 1
        got = call().status_code
        if got != expected:
            mismatches.append(f"{name}: expected {expected}, got {got}")
    assert count == 113  # 3 cases × 14 + 3 persons × 5 + 56 other cells
    assert not mismatches, "\n".join(mismatches)

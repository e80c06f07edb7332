"""Finding 11 (issue 13): free text that staff type — status, decision, referral, override and
merge reasons, consent notes, timer outcomes — is encrypted at rest like the narratives, and
never copied into audit entries; those allowed still read it on the pages and through the API."""

import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from crossroads.access.choices import Role
from crossroads.assistance.models import Consent, ConsentOverride, Referral, StatusDecision
from crossroads.assistance.services import consent, identification, referrals, timers
from crossroads.audit.models import AuditEntry
from crossroads.keys import cipher, migration_ops
from crossroads.linkage import node
from crossroads.linkage import services as linkage_services
from crossroads.linkage.models import MatchCandidate
from crossroads.registry import services
from crossroads.registry.models import CaseStatusChange
from tests.assistance.conftest import assist  # noqa: F401  (the fixture, by name)
from tests.conftest import exploitation_input, person_input

# Each typed by a member of staff; a name among them, as staff type names.
TYPED = {
    "status": "Drita Kelmendi moved to the Shkodra safe house",
    "decision": "Interview with Drita Kelmendi confirms deception",
    "reject": "Shelter full until Tuesday, ask Vlora office",
    "override": "Her uncle Arben Kelmendi is the recruiter",
    "consent": "Signed in presence of interpreter Mirela",
    "timer": "Decided to cooperate with prosecutor Hasani",
    "duplicate": "Different mothers per the Berat register",
}


def database_text() -> str:
    """Everything the database holds as text: the SQLite file's bytes, or every text-like
    column of every table on PostgreSQL."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize().decode("utf-8", "replace")
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = current_schema() AND data_type IN "
                       "('text', 'character varying', 'jsonb', 'json')")
        columns = cursor.fetchall()
        stored = []
        for table, column in columns:
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT {quote(column)}::text FROM {quote(table)}")  # noqa: S608
            stored.extend(value for (value,) in cursor.fetchall() if value)
    return "\n".join(stored)


@pytest.fixture
def typed(world, request):
    """One of each: a case status change, an identification decision, a rejected referral, a
    child's best-interest override, a consent note, a timer's outcome, a rejected duplicate."""
    helper = request.getfixturevalue("assist")
    police = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    services.change_status(police, case, "investigation", TYPED["status"])
    file = identification.open_file(police, case, victim, may_be_child=True)
    identification.decide(police, file, "presumed", TYPED["decision"])
    identification.decide(police, file, "identified", "Interview")
    referral = referrals.create(police, case, to_agency=world.agencies[("AL", "ngo")].pk,
                                purpose="shelter", override_reason=TYPED["override"])
    referrals.reject(helper.ngo_worker, referral, TYPED["reject"])
    consent.record_consent(police, victim, "referral", True, TYPED["consent"])
    timers.complete(police, file.timers.get(kind="reflection"), TYPED["timer"])
    rs_police = world.user(Role.INVESTIGATOR, "RS")
    twin, _case, _ = services.register_victim(rs_police, person_input(given="Jelena", family="Petrović"),
                                             services.CaseInput(), exploitation_input())
    node.candidates_for(rs_police, twin)
    linkage_services.reject(rs_police, MatchCandidate.objects.get(), TYPED["duplicate"])
    return SimpleNamespace(assist=helper, referral=referral)


def test_finding_11_typed_reasons_and_notes_are_not_stored_in_clear(typed):
    stored = database_text()
    for kind, text in TYPED.items():
        assert text not in stored, kind
    for secret in ("Kelmendi", "Shkodra", "Vlora office", "interpreter Mirela", "Berat register"):
        assert secret not in stored
    # Read back in clear through the models.
    assert CaseStatusChange.objects.filter(reason__isnull=False).count() >= 2
    assert TYPED["status"] in [c.reason for c in CaseStatusChange.objects.all()]
    assert StatusDecision.objects.get(to_status="presumed").reason == TYPED["decision"]
    assert Referral.objects.get(pk=typed.referral.pk).decision_reason == TYPED["reject"]
    assert ConsentOverride.objects.get().reason == TYPED["override"]
    assert Consent.objects.get().note == TYPED["consent"]
    assert MatchCandidate.objects.get().decision_reason == TYPED["duplicate"]


def test_finding_11_audit_details_hold_no_typed_text(typed):
    details = json.dumps([e.details for e in AuditEntry.objects.all()], ensure_ascii=False)
    for kind, text in TYPED.items():
        assert text not in details, kind
    rejected = AuditEntry.objects.filter(object_type="assistance.referral",
                                         details__status="rejected").get()
    assert rejected.details["reason_chars"] == len(TYPED["reject"])


def test_finding_11_those_allowed_still_read_the_reasons(typed):
    helper, referral = typed.assist, typed.referral
    world = helper.world
    police = helper.api(world.user(Role.INVESTIGATOR))
    case = world.cases["AL-police"]
    detail = police.get(f"/api/v1/cases/{case.pk}").json()
    assert TYPED["status"] in [c["reason"] for c in detail["status_history"]]
    assert police.get(f"/api/v1/referrals/{referral.pk}").json()["decision_reason"] == TYPED["reject"]
    file = StatusDecision.objects.get(to_status="presumed").file
    decisions = police.get(f"/api/v1/victim-files/{file.pk}").json()["decisions"]
    assert TYPED["decision"] in [d["reason"] for d in decisions]
    page = helper.page(world.user(Role.INVESTIGATOR)).get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and TYPED["status"] in page.content.decode()
    # Outside the case: neither the reasons nor the case.
    other = helper.api(world.user(Role.INVESTIGATOR, "RS"))
    assert other.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert other.get(f"/api/v1/referrals/{referral.pk}").status_code == 404


def test_finding_11_migration_encrypts_existing_plain_text_and_back(typed):
    """Rows written before the fix hold plain text: the migration's step encrypts them, bound to
    their row, and its reverse decrypts them again."""
    change = CaseStatusChange.objects.filter(reason__isnull=False).order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_casestatuschange SET reason = %s WHERE id = %s",
                       ["typed before the fix", change.pk])
    step = migration_ops.encrypt_column("registry", "casestatuschange", "reason")
    editor = SimpleNamespace(connection=connection)  # the step uses only its connection
    step.code(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM registry_casestatuschange WHERE id = %s", [change.pk])
        stored = cursor.fetchone()[0]
    assert cipher.is_row_bound(stored)
    assert CaseStatusChange.objects.get(pk=change.pk).reason == "typed before the fix"
    step.reverse_code(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM registry_casestatuschange WHERE id = %s", [change.pk])
        assert cursor.fetchone()[0] == "typed before the fix"

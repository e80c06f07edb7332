"""Linkage inside the node: candidates at registration, review, merge, unmerge, the node-wide run."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from crossroads.access.choices import Role
from crossroads.access.policy import PolicyDenied
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.jobs.choices import JobStatus
from crossroads.jobs.models import Job
from crossroads.linkage import node, tasks
from crossroads.linkage import queries as linkage_queries
from crossroads.linkage import services as linkage_services
from crossroads.linkage.models import CandidateStatus, DedupeRun, MatchCandidate, PersonMerge
from crossroads.registry import services
from crossroads.registry.models import Person, SearchKey
from tests.conftest import exploitation_input, person_input

pytestmark = pytest.mark.django_db


def register_latin_twin(world):
    """RS-victim is "Јелена Петровић" (2001-05-04) in the RS police case; the same woman is
    registered again, in Latin script, in a new case of the same police agency."""
    investigator = world.user(Role.INVESTIGATOR, "RS")
    person, case, _ = services.register_victim(
        investigator,
        person_input(given="Jelena", family="Petrović"),
        services.CaseInput(),
        exploitation_input(),
    )
    return investigator, person, case


def test_link_digests_are_stored_with_the_blind_indexes(world):
    victim = world.persons["RS-victim"]
    digests = set(SearchKey.objects.filter(person=victim, kind="link").values_list("digest", flat=True))
    assert digests and digests == node.link_digests(victim, [])
    record = node.person_record(victim)
    assert record["given_name"] == "Јелена" and record["birth_date"] == "2001-05-04"


def test_person_record_keeps_the_precision_of_the_birth_date():
    person = Person(
        pk=7,
        given_names="A",
        family_name="B",
        birth_date=datetime.date(1990, 3, 1),
        birth_precision="month",
        sex="U",
        citizenships=["RS"],
    )
    record = node.person_record(person, ["123"])
    assert record == {
        "id": "7",
        "given_name": "A",
        "family_name": "B",
        "father_name": "",
        "sex": "",
        "birth_date": "1990-03",
        "birth_place": "",
        "citizenship": "RS",
        "document_number": "123",
    }
    person.birth_precision = "age"
    assert node.person_record(person)["birth_date"] == "1990"


def test_registration_finds_the_same_person_in_another_script(world):
    investigator, person, _case = register_latin_twin(world)
    shown = node.candidates_for(investigator, person)
    assert [row["person"].pk for row in shown] == [world.persons["RS-victim"].pk]
    candidate = shown[0]["candidate"]
    assert candidate.probability >= 0.8 and candidate.status == CandidateStatus.OPEN
    assert any("name" in reason for reason in candidate.reasons)
    assert (candidate.person_a_id, candidate.person_b_id) == (world.persons["RS-victim"].pk, person.pk)
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="linkage.matchcandidate", object_id=str(candidate.pk)
    ).exists()
    # Found again: refreshed, not duplicated.
    node.candidates_for(investigator, person)
    assert MatchCandidate.objects.count() == 1


def test_candidates_are_shown_only_to_who_sees_both(world):
    investigator, person, _case = register_latin_twin(world)
    node.candidates_for(investigator, person)
    old = world.persons["RS-victim"]
    # The shelter's case worker sees the first case (assigned) but not the new one.
    case_worker = world.user(Role.CASE_WORKER, "RS")
    assert node.candidates_for(case_worker, old) == []
    assert linkage_queries.visible_candidates(case_worker, [old]) == {}
    with pytest.raises(PolicyDenied):
        linkage_services.reject(case_worker, MatchCandidate.objects.get())
    # Another jurisdiction sees nothing either.
    assert linkage_queries.visible_candidates(world.user(Role.INVESTIGATOR, "AL"), [old]) == {}
    assert list(linkage_queries.review_queue(world.user(Role.INVESTIGATOR, "AL"))) == []
    assert [c.pk for c in linkage_queries.review_queue(investigator)] == [MatchCandidate.objects.get().pk]


def test_a_case_worker_registering_stores_a_candidate_for_the_investigator(world):
    """Finding is node-wide; showing follows the policy."""
    case_worker = world.user(Role.CASE_WORKER, "RS")
    person, _case, _ = services.register_victim(
        case_worker,
        person_input(given="Jelena", family="Petrović"),
        services.CaseInput(),
        exploitation_input(),
    )
    # The case worker sees the old victim too (assigned case): shown to them.
    assert len(node.candidates_for(case_worker, person)) == 1
    assert MatchCandidate.objects.count() == 1


def test_confirm_merges_keeping_both_rows_and_undo_restores(world):
    investigator, person, case = register_latin_twin(world)
    node.candidates_for(investigator, person)
    candidate = MatchCandidate.objects.get()
    old = world.persons["RS-victim"]
    before = Person.objects.get(pk=person.pk).updated_at
    merge = linkage_services.confirm(investigator, candidate, "same JMBG on paper")
    person.refresh_from_db()
    assert person.merged_into_id == old.pk and Person.objects.filter(pk__in=[old.pk, person.pk]).count() == 2
    assert merge.survivor_id == old.pk and merge.merged_id == person.pk
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CONFIRMED and candidate.decided_by == investigator
    # The survivor shows both involvements; the merged record keeps its own.
    from crossroads.registry import queries

    merged = list(queries.merged_persons(investigator, old))
    assert [p.pk for p in merged] == [person.pk]
    assert [i.case_id for i in merged[0].involvements.all()] == [case.pk]
    # The person list shows the survivor only.
    listed = set(queries.filter_persons(investigator).values_list("pk", flat=True))
    assert old.pk in listed and person.pk not in listed
    with pytest.raises(ValidationError):
        linkage_services.confirm(investigator, candidate)
    linkage_services.undo_merge(investigator, merge)
    person.refresh_from_db()
    candidate.refresh_from_db()
    assert person.merged_into_id is None and person.updated_at == before
    assert candidate.status == CandidateStatus.OPEN and candidate.decided_by is None
    assert PersonMerge.objects.get().undone_by == investigator
    with pytest.raises(ValidationError):
        linkage_services.undo_merge(investigator, merge)
    decisions = AuditEntry.objects.filter(action=Action.UPDATE, object_type__startswith="linkage.")
    assert [e.details.get("decision") for e in decisions.order_by("id")] == ["confirmed", "undone"]
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="linkage.personmerge").exists()


def test_reject_closes_the_pair(world):
    investigator, person, _case = register_latin_twin(world)
    node.candidates_for(investigator, person)
    candidate = linkage_services.reject(investigator, MatchCandidate.objects.get(), "different mothers")
    assert candidate.status == CandidateStatus.REJECTED
    assert list(linkage_queries.review_queue(investigator)) == []
    # Found again later: stays rejected.
    node.candidates_for(investigator, person)
    assert MatchCandidate.objects.get().status == CandidateStatus.REJECTED
    entry = AuditEntry.objects.get(action=Action.UPDATE, object_type="linkage.matchcandidate")
    # The reason is kept, encrypted, on the candidate, not in the audit chain (finding 11).
    assert entry.details == {"decision": "rejected", "reason_chars": len("different mothers")}
    assert MatchCandidate.objects.get().decision_reason == "different mothers"


def test_roles_without_review_may_not_decide(world):
    investigator, person, _case = register_latin_twin(world)
    node.candidates_for(investigator, person)
    for role in (Role.FOCAL_POINT, Role.COORDINATOR, Role.ANALYST):
        with pytest.raises(PolicyDenied):
            linkage_services.reject(world.user(role, "RS"), MatchCandidate.objects.get())
    with pytest.raises(PolicyDenied):
        linkage_services.queue_dedupe(world.user(Role.CASE_WORKER, "RS"))


def test_dedupe_task_finds_the_seeded_duplicates(db, tmp_path, monkeypatch):
    from crossroads.demo.models import DuplicatePair

    call_command(
        "demo", seed=7, cases=40, jurisdictions="AL", logins=str(tmp_path / "logins.json"), verbosity=0
    )
    from crossroads.access.models import User

    coordinator = User.objects.filter(role=Role.COORDINATOR, agency__jurisdiction_id="AL").first()
    run = linkage_services.queue_dedupe(coordinator)
    assert linkage_services.queue_dedupe(coordinator) == run  # one run at a time
    seen = []
    original = tasks.jobs.progress

    def spy(job_id, done, total=None):
        original(job_id, done, total)
        seen.append(Job.objects.get(pk=job_id).percent)

    monkeypatch.setattr(tasks.jobs, "progress", spy)
    call_command("tasks", "work", "--once", verbosity=0)
    run.refresh_from_db()
    job = run.job
    assert job.status == JobStatus.DONE and job.percent == 100 and job.done == job.total > 0
    assert seen == sorted(seen) and seen[-1] == 100 and len(seen) > 2
    truth = {tuple(sorted(p)) for p in DuplicatePair.objects.values_list("original_id", "duplicate_id")}
    found = {(c.person_a_id, c.person_b_id) for c in MatchCandidate.objects.filter(found_by_run=run)}
    assert truth and len(truth & found) >= 0.7 * len(truth)
    assert run.pairs_found == len(found)
    assert all(c.reasons for c in MatchCandidate.objects.all())
    entry = AuditEntry.objects.filter(object_type="linkage.deduperun").order_by("-id").first()
    assert entry.details["status"] == "done" and entry.details["pairs"] == run.pairs_found


def test_worker_command_runs_queued_runs(world):
    run = linkage_services.queue_dedupe(world.user(Role.INVESTIGATOR, "RS"))
    call_command("tasks", "work", "--once", verbosity=0)
    run.refresh_from_db()
    assert run.status == JobStatus.DONE
    assert DedupeRun.objects.filter(job__status=JobStatus.QUEUED).count() == 0


def test_merged_records_share_their_consent_and_undo_parts_them(world, settings):
    from crossroads.assistance.services.consent import has_consent, persons_with_consent, record_consent
    from crossroads.exchange.models import SyncQueue

    settings.CROSSROADS_HUB_URL = "https://hub.example.invalid"  # the node takes part
    investigator, twin, _case = register_latin_twin(world)
    old = world.persons["RS-victim"]
    record_consent(investigator, old, "cross_border", True)
    record_consent(investigator, twin, "cross_border", False, "Said no at the shelter")
    assert has_consent(old, "cross_border") and not has_consent(twin, "cross_border")
    SyncQueue.objects.all().delete()
    node.candidates_for(investigator, twin)
    merge = linkage_services.confirm(investigator, MatchCandidate.objects.get())
    # One person: the later answer, the refusal on the duplicate, holds for both records.
    assert not has_consent(old, "cross_border") and not has_consent(twin.pk, "cross_border")
    assert not set(persons_with_consent("cross_border")) & {old.pk, twin.pk}
    assert {old.pk, twin.pk} <= set(SyncQueue.objects.values_list("person_id", flat=True))
    record_consent(investigator, old, "cross_border", True, "Agreed with her lawyer present")
    assert has_consent(twin.pk, "cross_border")
    assert {old.pk, twin.pk} <= set(persons_with_consent("cross_border"))
    SyncQueue.objects.all().delete()
    linkage_services.undo_merge(investigator, merge)
    assert has_consent(old, "cross_border") and not has_consent(twin.pk, "cross_border")
    assert {old.pk, twin.pk} <= set(SyncQueue.objects.values_list("person_id", flat=True))

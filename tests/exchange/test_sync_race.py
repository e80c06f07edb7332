"""A consent recorded or withdrawn while the sync runs is never lost (issue 23, defect 1).

The interleaving is driven, not slept into: a hook in the sync's encoding step records the
consent after the sync has read the queue and the persons' eligibility, before it deletes the
queue entries it read."""

import os
import threading

import pytest
from django.db import connection

from crossroads.access.choices import Role
from crossroads.assistance.services import consent
from crossroads.exchange.models import OutboxMessage, SharedReference, SyncQueue
from crossroads.exchange.services import sharing, sync
from tests.conftest import build_world


def _during_encoding(monkeypatch, person, action):
    """Run `action` once, while the sync encodes `person` (between its reads and its delete)."""
    put, done = sharing._put, []

    def put_then_act(found, secret, result):
        put(found, secret, result)
        if found.pk == person.pk and not done:
            done.append(action())

    monkeypatch.setattr(sharing, "_put", put_then_act)


def _in_own_connection(work):
    """`work` in another thread, on its own database connection, committed before returning."""
    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return True


def _withdrawn_after_two_rounds(joined, victim):
    live = SharedReference.objects.filter(person=victim, withdrawn_at__isnull=True)
    with joined.acting_as("AL"):
        sync()
    assert live.exists() and SyncQueue.objects.filter(person_id=victim.pk).exists()
    with joined.acting_as("AL"):
        assert sync().withdrawn == 1
    assert not live.exists() and not SyncQueue.objects.exists()
    assert OutboxMessage.objects.filter(kind="encoding.withdraw").count() == 1


@pytest.mark.django_db
def test_a_withdrawal_recorded_while_the_sync_encodes_is_kept_for_the_next_round(
        world, joined, monkeypatch):
    victim, investigator = world.persons["AL-victim"], world.user(Role.INVESTIGATOR)
    consent.record_consent(investigator, victim, "cross_border", True)
    _during_encoding(monkeypatch, victim,
                     lambda: consent.record_consent(investigator, victim, "cross_border", False))
    _withdrawn_after_two_rounds(joined, victim)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="SQLite has one writer: the sync's transaction would hold it")
def test_a_withdrawal_committed_by_another_connection_mid_sync_is_kept(
        committing_db, joined, monkeypatch):
    world = build_world()
    victim, investigator = world.persons["AL-victim"], world.user(Role.INVESTIGATOR)
    consent.record_consent(investigator, victim, "cross_border", True)
    _during_encoding(monkeypatch, victim, lambda: _in_own_connection(
        lambda: consent.record_consent(investigator, victim, "cross_border", False)))
    _withdrawn_after_two_rounds(joined, victim)


@pytest.mark.django_db
def test_a_consent_given_while_the_sync_withdraws_is_kept_for_the_next_round(
        world, joined, monkeypatch):
    """The other way round: given while the sync withdraws another person of the same batch."""
    victim, other = world.persons["AL-victim"], world.persons["AL-other-victim"]
    investigator = world.user(Role.INVESTIGATOR)
    consent.record_consent(investigator, victim, "cross_border", True)
    SyncQueue.objects.all().delete()
    SyncQueue.objects.create(person_id=other.pk)
    withdraw, done = sharing._withdraw, []

    def withdraw_then_consent(found, result):
        withdraw(found, result)
        if not done:
            other_investigator = world.user("other_investigator")
            done.append(consent.record_consent(other_investigator, other, "cross_border", True))

    monkeypatch.setattr(sharing, "_withdraw", withdraw_then_consent)
    with joined.acting_as("AL"):
        sync()
    assert SyncQueue.objects.filter(person_id=other.pk).exists()
    with joined.acting_as("AL"):
        assert sync().sent == 1
    assert SharedReference.objects.filter(person=other, withdrawn_at__isnull=True).exists()

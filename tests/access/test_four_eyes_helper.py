"""The one four-eyes mechanism (crossroads.access.four_eyes) behind account, agency, release
and privacy-budget decisions: nobody decides their own request, nor one of another
jurisdiction, nor without the deciding capability; a decided request stays decided; and of two
decisions at once (PostgreSQL, two threads) exactly one wins."""

import os
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from crossroads.access import approvals
from crossroads.access.choices import Role
from crossroads.access.models import ApprovalRequest, User
from crossroads.access.policy import PolicyDenied
from crossroads.audit.models import AuditEntry
from crossroads.statistics import release_workflow
from crossroads.statistics.models import BudgetChange, Release

FLOWS = [approvals.FLOW, release_workflow.RELEASES, release_workflow.BUDGET_CHANGES]


def second_admin(world, jurisdiction="AL", name="administrator_2"):
    first = world.user(Role.ADMINISTRATOR, jurisdiction)
    return User.objects.create_user(f"{jurisdiction.lower()}_{name}", password="x" * 16,
                                    role=Role.ADMINISTRATOR, agency=first.agency)


def pending_request(requester) -> ApprovalRequest:
    return ApprovalRequest.objects.create(
        kind="create_account", jurisdiction_id=requester.jurisdiction_id, requested_by=requester,
        username="al_new", changes={"username": "al_new", "role": Role.INVESTIGATOR})


def second_coordinator(world):
    first = world.user(Role.COORDINATOR)
    return User.objects.create_user("al_coordinator_2", password="x" * 16,
                                    role=Role.COORDINATOR, agency=first.agency)


def test_every_four_eyes_flow_uses_the_one_mechanism():
    assert {flow.model for flow in FLOWS} == {ApprovalRequest, Release, BudgetChange}


def test_nobody_decides_their_own_request(world):
    a = world.user(Role.ADMINISTRATOR)
    request = pending_request(a)
    assert not approvals.FLOW.may_decide(a, request)
    with pytest.raises(PolicyDenied):
        approvals.approve(a, request.pk)
    denied = AuditEntry.objects.filter(outcome="denied", object_type="access.approvalrequest",
                                       object_id=str(request.pk)).get()
    assert denied.details["attempted"] == "approve"
    request.refresh_from_db()
    assert request.status == "pending"

    coordinator = world.user(Role.COORDINATOR)
    release = Release.objects.create(kind="tables", jurisdiction_id="AL", status="prepared",
                                     created_by=coordinator)
    assert not release_workflow.RELEASES.may_decide(coordinator, release)
    assert release_workflow.RELEASES.may_decide(second_coordinator(world), release)


def test_nobody_decides_about_their_own_account(world):
    a, b = world.user(Role.ADMINISTRATOR), second_admin(world)
    request = ApprovalRequest.objects.create(
        kind="change_account", jurisdiction_id="AL", requested_by=a, target=b,
        username=b.username, changes={"role": Role.COORDINATOR})
    assert not approvals.FLOW.may_decide(b, request)
    c = second_admin(world, name="administrator_3")
    assert approvals.FLOW.may_decide(c, request)


def test_nobody_decides_for_another_jurisdiction(world):
    a = world.user(Role.ADMINISTRATOR)
    request = pending_request(a)
    other = world.user(Role.ADMINISTRATOR, "RS")
    assert not approvals.FLOW.may_decide(other, request)
    assert approvals.FLOW.may_decide(second_admin(world), request)

    release = Release.objects.create(kind="tables", jurisdiction_id="AL", status="prepared",
                                     created_by=world.user(Role.COORDINATOR))
    assert not release_workflow.RELEASES.may_decide(world.user(Role.COORDINATOR, "RS"), release)


def test_nobody_decides_without_the_capability_or_when_inactive(world):
    request = pending_request(world.user(Role.ADMINISTRATOR))
    assert not approvals.FLOW.may_decide(world.user(Role.INVESTIGATOR), request)
    b = second_admin(world)
    b.is_active = False
    assert not approvals.FLOW.may_decide(b, request)


def test_a_decided_request_cannot_be_decided_again(world):
    a, b = world.user(Role.ADMINISTRATOR), second_admin(world)
    request = pending_request(a)
    approvals.reject(b, request.pk, "not needed")
    for again in (lambda: approvals.approve(b, request.pk),
                  lambda: approvals.reject(b, request.pk, "twice")):
        with pytest.raises(ValidationError) as error:
            again()
        assert "status" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == "rejected" and request.decided_by == b
    decisions = AuditEntry.objects.filter(object_type="access.approvalrequest",
                                          object_id=str(request.pk), action="update")
    assert [e.details["decision"] for e in decisions] == ["rejected"]


def test_a_decided_budget_change_cannot_be_decided_again(world):
    first, second = world.user(Role.COORDINATOR), second_coordinator(world)
    change = release_workflow.change_budget(first, "AL", Decimal("1000"))
    release_workflow.decide_budget_change(second, change.pk, False, "not now")
    with pytest.raises(ValidationError) as error:
        release_workflow.decide_budget_change(second, change.pk, True)
    assert "status" in error.value.message_dict
    change.refresh_from_db()
    assert change.status == "rejected"


def _at_once(*decisions):
    barrier, outcomes = threading.Barrier(len(decisions)), []

    def one(decide):
        try:
            barrier.wait()
            decide()
            outcomes.append("decided")
        except ValidationError as error:
            outcomes.append("refused" if "status" in error.message_dict else repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(d,)) for d in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (SQLite's test database is one in-memory connection)")


@needs_postgres
def test_two_decisions_at_once_only_one_wins(committing_db):  # noqa: F811
    from tests.conftest import build_world

    world = build_world()
    a, b, c = (world.user(Role.ADMINISTRATOR), second_admin(world),
               second_admin(world, name="administrator_3"))
    request = pending_request(a)
    outcomes = _at_once(lambda: approvals.approve(b, request.pk),
                        lambda: approvals.reject(c, request.pk, "no"))
    assert outcomes == ["decided", "refused"]
    request.refresh_from_db()
    assert request.status in {"approved", "rejected"}
    decisions = AuditEntry.objects.filter(object_type="access.approvalrequest",
                                          object_id=str(request.pk), action="update")
    assert decisions.count() == 1
    assert User.objects.filter(username="al_new").exists() == (request.status == "approved")


@needs_postgres
def test_two_budget_decisions_at_once_only_one_wins(committing_db):  # noqa: F811
    from tests.conftest import build_world

    world = build_world()
    first, second = world.user(Role.COORDINATOR), second_coordinator(world)
    third = User.objects.create_user("al_coordinator_3", password="x" * 16,
                                     role=Role.COORDINATOR, agency=first.agency)
    change = release_workflow.change_budget(first, "AL", Decimal("1000"))
    assert change.status == "pending"
    outcomes = _at_once(
        lambda: release_workflow.decide_budget_change(second, change.pk, True),
        lambda: release_workflow.decide_budget_change(third, change.pk, False, "no"))
    assert outcomes == ["decided", "refused"]
    change.refresh_from_db()
    assert change.status in {"approved", "rejected"}

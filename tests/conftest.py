"""A small two-jurisdiction world shared by the tests: agencies, one user per role, cases."""

import datetime
import importlib
import os
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction
from django.test import Client

from crossroads.access.choices import AgencyKind, Role
from crossroads.access.models import Agency, ApiToken, Jurisdiction, User
from crossroads.audit import partitions
from crossroads.registry import services
from crossroads.registry.choices import InvolvementRole


def pytest_collection_modifyitems(config, items):
    """Loopback tests start hubs and nodes of their own, each on its own SQLite database, whatever
    the suite's DATABASE_URL: the SQLite pass runs them, the PostgreSQL pass would repeat them."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="loopback instances run on SQLite; covered by the SQLite pass")
    for item in items:
        if item.get_closest_marker("loopback"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request made in another language leaves it
    active in the thread, and a later test run by the same worker would read translated text."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_budgets():
    """Each test starts with the public routes' whole in-memory budget (it is per process, so a
    test run after others by the same worker would otherwise find it spent)."""
    from crossroads.tips import limits

    limits.LIMITER.reset()
    yield
    limits.LIMITER.reset()


ROLE_AGENCY = {
    Role.CASE_WORKER: "shelter", Role.INVESTIGATOR: "police", Role.PROSECUTOR: "prosecution",
    Role.FOCAL_POINT: "police", Role.COORDINATOR: "coordinator", Role.ANALYST: "coordinator",
    Role.OVERSIGHT: "ombudsman", Role.ADMINISTRATOR: "coordinator", Role.HOTLINE_OPERATOR: "ngo",
}


@dataclass
class World:
    agencies: dict = field(default_factory=dict)   # (jurisdiction, key) -> Agency
    users: dict = field(default_factory=dict)      # (jurisdiction, role) -> User
    tokens: dict = field(default_factory=dict)     # username -> raw token
    cases: dict = field(default_factory=dict)      # name -> Case
    persons: dict = field(default_factory=dict)    # name -> Person

    def user(self, role, jurisdiction="AL"):
        return self.users[(jurisdiction, role)]

    def client(self, role, jurisdiction="AL") -> Client:
        return login(Client(), self.user(role, jurisdiction))

    def api(self, role, jurisdiction="AL") -> Client:
        user = self.user(role, jurisdiction)
        return Client(headers={"Authorization": f"Bearer {self.tokens[user.username]}"})


def login(client: Client, user) -> Client:
    """Log in as a user who has passed the second factor (a confirmed TOTP device)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="test", confirmed=True))
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def login_as(user) -> Client:
    """A fresh client logged in as `user`, second factor passed."""
    return login(Client(), user)


def person_input(given="Arta", family="Hoxha", **extra):
    return services.PersonInput(given_names=given, family_name=family, sex=extra.pop("sex", "F"),
                                birth_date=extra.pop("birth_date", datetime.date(2001, 5, 4)),
                                **extra)


def exploitation_input(**extra):
    return services.ExploitationInput(forms=extra.pop("forms", ["sexual"]), **extra)


def build_world() -> World:
    world = World()
    for code in ("AL", "RS"):
        for key, kind in [("police", AgencyKind.POLICE), ("police2", AgencyKind.POLICE),
                          ("prosecution", AgencyKind.PROSECUTION),
                          ("shelter", AgencyKind.SHELTER), ("ngo", AgencyKind.NGO),
                          ("coordinator", AgencyKind.COORDINATOR),
                          ("ombudsman", AgencyKind.OMBUDSMAN)]:
            world.agencies[(code, key)] = Agency.objects.create(
                name=f"{key} {code}", kind=kind, jurisdiction_id=code)
        for role in Role:
            user = User.objects.create_user(f"{code.lower()}_{role.value}", password="x" * 16,
                                            role=role, agency=world.agencies[(code, ROLE_AGENCY[role])])
            world.users[(code, role)] = user
            world.tokens[user.username] = ApiToken.issue(user, "test", scope="write")[1]
        # A police case (victim + suspect), assigned to the shelter.
        investigator = world.user(Role.INVESTIGATOR, code)
        victim, case, _ = services.register_victim(
            investigator, person_input(given="Drita" if code == "AL" else "Јелена",
                                       family="Krasniqi" if code == "AL" else "Петровић"),
            services.CaseInput(summary="Met at the border crossing."), exploitation_input())
        suspect = services.create_person(investigator, person_input(
            given="Besnik" if code == "AL" else "Марко", family="Leka" if code == "AL" else "Јовић",
            sex="M", birth_date=datetime.date(1980, 1, 2)))
        services.add_involvement(investigator, case, suspect, InvolvementRole.SUSPECT)
        case.assigned_agencies.add(world.agencies[(code, "shelter")])
        case.team.add(world.user(Role.PROSECUTOR, code))
        world.cases[f"{code}-police"] = case
        world.persons[f"{code}-victim"] = victim
        world.persons[f"{code}-suspect"] = suspect
        # A case of another police agency (not assigned to anyone of the test users).
        other = User.objects.create_user(f"{code.lower()}_other_investigator", password="x" * 16,
                                         role=Role.INVESTIGATOR,
                                         agency=world.agencies[(code, "police2")])
        world.users[(code, "other_investigator")] = other
        other_victim, other_case, _ = services.register_victim(
            other, person_input(given="Vesa", family="Gashi"), services.CaseInput(),
            exploitation_input(forms=["forced_begging"]))
        world.cases[f"{code}-other"] = other_case
        world.persons[f"{code}-other-victim"] = other_victim
        # A restricted (H3) case of the investigator's own agency, without them on the team.
        colleague = User.objects.create_user(f"{code.lower()}_colleague", password="x" * 16,
                                             role=Role.INVESTIGATOR,
                                             agency=world.agencies[(code, "police")])
        _v, h3_case, _ = services.register_victim(
            colleague, person_input(given="Mira", family="Shala"),
            services.CaseInput(handling_code="H3"), exploitation_input())
        world.cases[f"{code}-h3"] = h3_case
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()


_triggers = importlib.import_module("crossroads.audit.migrations.0002_append_only_triggers")
APPEND_ONLY = {"postgresql": _triggers.POSTGRES[1:], "sqlite": _triggers.SQLITE}
APPEND_ONLY_REVERSE = {"postgresql": _triggers.POSTGRES_REVERSE[:2], "sqlite": _triggers.SQLITE_REVERSE}


@pytest.fixture
def triggers_restored(django_db_blocker):
    """Recreates the audit table's append-only triggers after the flush (see `committing_db`),
    on PostgreSQL the TRUNCATE guard of each month's partition too."""
    lifted = []
    yield lifted
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for statement in APPEND_ONLY.get(connection.vendor, []):
            cursor.execute(statement)
        for table, _trigger in lifted:
            cursor.execute(partitions.no_truncate(table))


@pytest.fixture
def committing_db(triggers_restored, django_db_serialized_rollback, transactional_db):
    """Committed transactions (threads see each other's writes). The flush that ends the test
    empties the audit table, which its triggers refuse: they are dropped just before it and
    recreated just after; the seeded rows (jurisdictions) come back by serialized rollback."""
    yield
    with connection.cursor() as cursor:
        for statement in APPEND_ONLY_REVERSE.get(connection.vendor, []):
            cursor.execute(statement)
        if partitions.is_partitioned():
            triggers_restored.extend(partitions.truncate_guards(cursor))
            for table, trigger in triggers_restored:
                cursor.execute(f"DROP TRIGGER {trigger} ON {table}")


@contextmanager
def rolled_back(django_db_blocker):
    """The writes of a module-scoped fixture, rolled back at its end. pytest-django runs tests
    without `db` last, after the transactional ones, whose flush empties the rows the migrations
    seed (jurisdictions, the offence catalogue); serialized rollback restores them only for the
    next test that asks for it, so a module fixture restores them itself."""
    with django_db_blocker.unblock(), transaction.atomic():
        if not Jurisdiction.objects.exists():
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        yield
        transaction.set_rollback(True)


def search(client: Client, path: str, body: dict):
    """A POST search of the API (`/api/v1/cases/search`, `/api/v1/persons/search`): the terms go
    in the JSON body, never in the URL."""
    return client.post(path, body, content_type="application/json")


def state_purpose(client: Client, path: str, kind: str = "identification", **fields) -> Client:
    """State a purpose of access for the page at `path` (a person's page or the name search),
    as a reader who did not come from a case does (crossroads.registry.purpose)."""
    response = client.post("/purpose/", {"next": path, "kind": kind, **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client

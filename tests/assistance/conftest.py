"""The shared test world plus what the referral mechanism needs: an NGO case worker (an agency
with no access to the police case until a referral is accepted) and a one-place shelter."""

from dataclasses import dataclass

import pytest
from django.test import Client

from crossroads.access.choices import Role
from crossroads.access.models import ApiToken, User
from crossroads.assistance.models import Shelter
from tests.conftest import World, login


@dataclass
class Assist:
    world: World
    ngo_worker: User
    shelter: Shelter

    def api(self, user) -> Client:
        raw = ApiToken.issue(user, "assist", scope="write")[1]
        return Client(headers={"Authorization": f"Bearer {raw}"})

    def page(self, user) -> Client:
        return login(Client(), user)


@pytest.fixture
def assist(world) -> Assist:
    ngo_worker = User.objects.create_user("al_ngo_worker", password="x" * 16, role=Role.CASE_WORKER,
                                          agency=world.agencies[("AL", "ngo")])
    shelter = Shelter.objects.create(agency=world.agencies[("AL", "shelter")], name="Hope House",
                                     capacity=1)
    return Assist(world, ngo_worker, shelter)


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def error_fields(response) -> set:
    """The fields a 422 names, as paths below the body."""
    return {tuple(e["loc"][1:]) for e in response.json()["detail"]}

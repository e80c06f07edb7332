"""Finding 11 (issue 13, API docs): `/api/v1/docs` and `/api/v1/openapi.json` answered without
a login. They now need a session that passed the second factor, in every environment."""

import pytest
from django.test import Client

from crossroads.access.choices import Role

SCHEMA, DOCS = "/api/v1/openapi.json", "/api/v1/docs"


@pytest.fixture
def password_only(world):
    """A session that passed the password step only (no second factor)."""
    client = Client()
    client.force_login(world.user(Role.INVESTIGATOR))
    return client


def test_finding_11_api_schema_and_docs_need_login(world, password_only):
    anonymous = Client()
    assert anonymous.get(SCHEMA).status_code == 401
    assert "/login/" in anonymous.get(DOCS)["Location"]
    for client in (password_only, Client(headers={"Authorization": "Bearer x"})):
        assert client.get(SCHEMA).status_code == 401
        assert client.get(DOCS).status_code in (302, 401)
    verified = world.client(Role.INVESTIGATOR)
    assert "/api/v1/persons" in verified.get(SCHEMA).json()["paths"]
    assert verified.get(DOCS).status_code == 200

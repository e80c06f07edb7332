"""Shared steps of the investigations tests: JSON calls as a role, audit look-ups."""

import json

from django.test import Client

from crossroads.audit.models import AuditEntry


def post(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def denied_entries(user, attempted: str | None = None):
    entries = AuditEntry.objects.filter(actor_id=user.pk, action="denied")
    return entries.filter(details__attempted=attempted) if attempted else entries


def api_as(user, scope: str = "write") -> Client:
    """An API client with a fresh token of `user`."""
    from crossroads.access.models import ApiToken

    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, 'test', scope=scope)[1]}"})


def suspect_with_proceeding(user, case, given: str, family: str, opened_on):
    """A new suspect of `case` (added by `user`) charged with trafficking (`thb`) since
    `opened_on`: a proceeding at its first stage."""
    from crossroads.investigations import services
    from crossroads.registry import services as registry

    person = registry.create_person(user, registry.PersonInput(given_names=given,
                                                               family_name=family, sex="M"))
    registry.add_involvement(user, case, person, "suspect")
    services.open_proceeding(user, case, services.ProceedingInput(
        person_id=person.pk, offence="thb", investigation_opened_on=opened_on))
    return person

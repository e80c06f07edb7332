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

"""Shared steps of the investigations page tests: forms posted as a role, their answers."""

from django.test import Client

from crossroads.registry.models import Case
from tests.conftest import login_as


def unverified(user) -> Client:
    """Logged in with the password only: the second factor not passed."""
    client = Client()
    client.force_login(user)
    return client


def csrf_checked(user) -> Client:
    """Logged in (second factor passed), with CSRF enforced as a browser meets it."""
    client = login_as(user)
    client.handler.enforce_csrf_checks = True
    return client


def summary(response) -> str:
    """The text of the page's error summary (empty when there is none)."""
    html = response.content.decode()
    start = html.find('class="error-summary"')
    return "" if start < 0 else html[start:html.find("</div>", start)]


def reload(case) -> Case:
    return Case.objects.get(pk=case.pk)


def version(case) -> int:
    """The case's version now: what the page's forms carry (hidden `version`)."""
    return reload(case).version

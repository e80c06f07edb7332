"""Activation and reset links: the account's user, and nobody else, sets its password.

A new account (once a second administrator approves it) and an approved password reset get an
unusable password and a single-use link valid for `CROSSROADS_ACTIVATION_HOURS` (72 by
default). The approving administrator sees the link once and hands it to the user out of band;
the requesting administrator never sees it. Opening the link lets its holder choose a password;
they are then logged in with the password step passed and must enrol (or, after a reset, pass)
the second factor before anything else opens. Only the SHA-256 of the secret is stored. A link
ends when used, when a newer link is issued for the account, when it expires, or when the
account or its agency is deactivated.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from .choices import ActivationPurpose
from .models import ActivationLink, User
from .tokens import revoke_all


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def hours() -> int:
    return int(getattr(settings, "CROSSROADS_ACTIVATION_HOURS", 72))


def issue_link(actor, account: User, purpose: str) -> str:
    """A new link for the account (earlier ones end); returns the secret, shown once."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    end_links(account, now)
    link = ActivationLink.objects.create(
        user=account, purpose=purpose, key_hash=_digest(raw), created_by=actor,
        created_at=now, expires_at=now + timedelta(hours=hours()))
    record(actor, Action.CREATE, link, details={"account": account.pk, "purpose": purpose,
                                                "hours": hours()})
    return raw


def end_links(account: User, at=None) -> None:
    ActivationLink.objects.usable().filter(user=account).update(revoked_at=at or timezone.now())


def url(request, raw: str) -> str:
    return request.build_absolute_uri(reverse("activate-open", args=[raw]))


def find(raw: str) -> ActivationLink | None:
    """The usable link of this secret, for an active account of an active agency."""
    if not raw:
        return None
    return (ActivationLink.objects.usable().select_related("user__agency")
            .filter(key_hash=_digest(raw), user__is_active=True, user__agency__active=True)
            .first())


def find_by_id(link_id) -> ActivationLink | None:
    return (ActivationLink.objects.usable().select_related("user__agency")
            .filter(pk=link_id, user__is_active=True, user__agency__active=True).first())


def complete(link_id, password: str) -> User | None:
    """Set the account's password (already validated) and spend the link (once, under a lock).
    Returns the account, or None if the link was used or ended meanwhile."""
    with transaction.atomic():
        link = ActivationLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None or find_by_id(link.pk) is None:
            return None
        now = timezone.now()
        link.used_at = now
        link.save(update_fields=["used_at"])
        account = link.user
        account.set_password(password)
        account.save(update_fields=["password"])
        revoke_all(account, [account], "password set through a link")
        record(account, Action.UPDATE, account, details={"password": link.purpose,
                                                         "link": link.pk})
    return account


__all__ = ["ActivationPurpose", "complete", "end_links", "find", "issue_link", "url"]

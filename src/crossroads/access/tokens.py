"""Personal API tokens: issue and revoke, audited (the API and the account page call these
through access.services; the list is access.queries.my_tokens).

A token is issued only to a session that has passed the second factor, never to a caller that
holds a token (a token cannot mint tokens). Whatever changes what an account may do — a password
set or reset, a new role or agency, deactivation of the account or of its agency, a change of the
agency's kind — revokes every token of the account (`revoke_all`), in the service that makes
the change."""

from django.http import Http404
from django.utils import timezone

from crossroads.audit.choices import Action
from crossroads.audit.services import record, record_denied

from .models import ApiToken
from .policy import PolicyDenied


def issue_token(user, name: str, days: int, scope: str) -> tuple[ApiToken, str]:
    """Issue a token to the user of a session verified by the second factor (403 otherwise)."""
    if not session_verified(user):
        record_denied(user, ApiToken, {}, "create")
        raise PolicyDenied("create token")
    token, raw = ApiToken.issue(user, name, days=days, scope=scope)
    record(user, Action.CREATE, token, details={"scope": scope, "days": days})
    return token, raw


def session_verified(user) -> bool:
    """True for the user of a session that passed the second factor. django-otp marks only the
    session's user (`is_verified`); the user a bearer token stands for is never marked."""
    verified = getattr(user, "is_verified", None)
    return bool(getattr(user, "is_authenticated", False) and callable(verified) and verified())


def revoke_token(user, token_id: int) -> None:
    updated = ApiToken.objects.usable().filter(user=user, pk=token_id).update(revoked_at=timezone.now())
    if not updated:
        raise Http404
    record(user, Action.DELETE, object_type="access.apitoken", object_id=token_id)


def revoke_all(actor, users, reason: str) -> int:
    """Revoke every unrevoked token of `users` (a queryset or list of accounts); audited once
    per account that had any. Returns how many tokens were revoked."""
    user_ids = [getattr(u, "pk", u) for u in users]
    live = ApiToken.objects.filter(user_id__in=user_ids, revoked_at__isnull=True)
    counts = {}
    for owner in live.values_list("user_id", flat=True):
        counts[owner] = counts.get(owner, 0) + 1
    if not counts:
        return 0
    live.update(revoked_at=timezone.now())
    for owner, count in sorted(counts.items()):
        record(actor, Action.DELETE, object_type="access.apitoken", object_id="",
               details={"account": owner, "tokens": count, "reason": reason})
    return sum(counts.values())

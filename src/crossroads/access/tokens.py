"""Personal API tokens: issue and revoke, audited (the API and the account page call these)."""

from django.http import Http404
from django.utils import timezone

from crossroads.audit.models import Action
from crossroads.audit.services import record

from .models import ApiToken


def issue_token(user, name: str, days: int, scope: str) -> tuple[ApiToken, str]:
    token, raw = ApiToken.issue(user, name, days=days, scope=scope)
    record(user, Action.CREATE, token, details={"scope": scope, "days": days})
    return token, raw


def revoke_token(user, token_id: int) -> None:
    updated = ApiToken.objects.usable().filter(user=user, pk=token_id).update(revoked_at=timezone.now())
    if not updated:
        raise Http404
    record(user, Action.DELETE, object_type="access.apitoken", object_id=token_id)


def usable_tokens(user):
    return ApiToken.objects.usable().filter(user=user).order_by("-created_at")

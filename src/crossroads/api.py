"""The JSON API under /api/v1/: authentication, error shapes and the routers of each app."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from crossroads.access.models import ApiToken, TokenScope
from crossroads.access.policy import PolicyDenied

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BearerToken(HttpBearer):
    """Personal API tokens: `Authorization: Bearer <token>`; only the hash is stored."""

    def authenticate(self, request, token):
        found = (ApiToken.objects.usable().select_related("user__agency")
                 .filter(key_hash=ApiToken.digest(token)).first())
        if found is None or not found.user.is_active:
            return None
        if request.method not in SAFE_METHODS and found.scope != TokenScope.WRITE:
            raise PolicyDenied("read-only token")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Crossroads node API",
    version="1",
    description="Cases, persons and exploitation records of one national node. Every call is "
                "filtered by the access policy and audited; send `X-Purpose` to record why.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


def _field_errors(error: ValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [{"loc": ["body", *name.split(".")], "msg": " ".join(m for e in errs for m in e.messages),
                 "type": "value_error"} for name, errs in error.error_dict.items()]
    return [{"loc": ["body"], "msg": " ".join(error.messages), "type": "value_error"}]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(PolicyDenied)
def on_denied(request, exc):
    return api.create_response(request, {"detail": "You may not do this."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


def _register_routers():
    from crossroads.access.api import router as access_router
    from crossroads.audit.api import router as audit_router
    from crossroads.registry.api import router as registry_router

    api.add_router("", registry_router)
    api.add_router("", access_router)
    api.add_router("", audit_router)


_register_routers()

"""The JSON API under /api/v1/: authentication, error shapes and the routers of each app."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer, SessionAuth

from crossroads.access import lockout
from crossroads.access.choices import TokenScope
from crossroads.access.lockout import LockedOut
from crossroads.access.models import ApiToken
from crossroads.access.policy import PolicyDenied
from crossroads.web.api_docs import verified_session_required

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
AUTHORIZATION = "HTTP_AUTHORIZATION"


class BearerToken(HttpBearer):
    """Personal API tokens: `Authorization: Bearer <token>`; only the hash is stored.

    A request that carries an Authorization header is answered by its token alone: a header that
    is not a valid bearer token (another scheme, no token, an unknown, expired or revoked one) is
    a 401, and never falls through to the session of the same request."""

    USERNAME = "api-token"
    openapi_description = ("A personal API token. A request with an Authorization header is "
                           "answered by the token alone: a header that is not a valid bearer "
                           "token is a 401, whatever session cookie comes with it.")

    def __call__(self, request):
        header = request.META.get(AUTHORIZATION)
        if header is None:
            return None  # no token offered: the session may answer
        lockout.check(request, self.USERNAME)
        scheme, _space, token = header.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            self._refuse(request)
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        found = (ApiToken.objects.usable().select_related("user__agency")
                 .filter(key_hash=ApiToken.digest(token)).first())
        if found is None or not found.user.is_active:
            self._refuse(request)
        if request.method not in SAFE_METHODS and found.scope != TokenScope.WRITE:
            raise PolicyDenied("read-only token")
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            # A write per call would serialise readers; a minute's precision is enough.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user

    def _refuse(self, request):
        # Guessing tokens counts towards the lock-out of the caller's address.
        lockout.failed(request, self.USERNAME, sender=__name__)
        raise AuthenticationError


class VerifiedSession(SessionAuth):
    """The browser's session, only once its second factor is verified (django-otp), and only on a
    request without an Authorization header (that one is the token's to answer)."""

    openapi_description = ("The session cookie of a log-in whose second factor is verified; a "
                           "password alone is a 401. Not used when an Authorization header is "
                           "sent.")

    def authenticate(self, request, key):
        user = request.user
        if AUTHORIZATION in request.META or not user.is_authenticated or not user.is_active:
            return None
        is_verified = getattr(user, "is_verified", None)
        return user if is_verified is not None and is_verified() else None


# The error responses are made by the exception handlers below, for every route alike; the
# schema declares them all with one shape, so clients (and schemathesis) know what to expect.
ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["detail"],
    "properties": {"detail": {"anyOf": [
        {"type": "string"},
        {"type": "array", "items": {
            "type": "object", "required": ["loc", "msg", "type"],
            "properties": {"loc": {"type": "array", "items": {"anyOf": [{"type": "string"},
                                                                         {"type": "integer"}]}},
                           "msg": {"type": "string"}, "type": {"type": "string"}}}},
    ]}},
}
ERROR_RESPONSES = {
    400: "The request body is not JSON.",
    401: "No valid token, or no session with a verified second factor.",
    403: "The access policy refuses the call (or a read-only token tried to write).",
    404: "Nothing the caller may see has this id.",
    422: "Invalid input; `detail[].loc` names the offending field. Nothing was written.",
    429: "Too many failed attempts from this address; try again later.",
}


class NodeAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema["paths"].values():
            for operation in operations.values():
                parameters = operation.get("parameters", [])
                codes = [401, 403, 429]
                if any(p.get("in") == "path" for p in parameters):
                    codes.append(404)
                if parameters or "requestBody" in operation:
                    codes.append(422)
                if "requestBody" in operation:
                    codes.append(400)
                responses = operation.setdefault("responses", {})
                for code in codes:
                    if code not in responses and str(code) not in responses:
                        responses[code] = {"description": ERROR_RESPONSES[code], "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        return schema


api = NodeAPI(
    title="Crossroads node API",
    version="1",
    description="Cases, persons and exploitation records of one national node. Every call is "
                "filtered by the access policy and audited; send `X-Purpose` to record why.",
    auth=[BearerToken(), VerifiedSession()],
    urls_namespace="api",
    docs_decorator=verified_session_required,
)


def _field_errors(error: ValidationError, where: str = "body") -> list[dict]:
    if hasattr(error, "error_dict"):
        return [{"loc": [where, *name.split(".")], "msg": " ".join(m for e in errs for m in e.messages),
                 "type": "value_error"} for name, errs in error.error_dict.items()]
    return [{"loc": [where], "msg": " ".join(error.messages), "type": "value_error"}]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    # A GET carries its input in the query string (filters, limit, offset), a write in its body.
    where = "query" if request.method in SAFE_METHODS else "body"
    return api.create_response(request, {"detail": _field_errors(exc, where)}, status=422)


# Pydantic's prefix of the messages our own validators raise ("Value error, Use a date …").
_PYDANTIC_PREFIX = "Value error, "


def _schema_error(error: dict) -> dict:
    """A schema error with its `loc` from the body's root, as the domain errors have it: ninja
    puts the view's parameter name after "body" (`["body", "payload", "person", ...]`)."""
    loc = list(error.get("loc", ()))
    if loc[:1] == ["body"] and len(loc) > 1:
        del loc[1]
    msg = str(error.get("msg", ""))
    return {"loc": loc, "msg": msg.removeprefix(_PYDANTIC_PREFIX), "type": error.get("type", "")}


@api.exception_handler(SchemaError)
def on_schema_error(request, exc):
    return api.create_response(request, {"detail": [_schema_error(e) for e in exc.errors]},
                               status=422)


@api.exception_handler(PolicyDenied)
def on_denied(request, exc):
    return api.create_response(request, {"detail": "You may not do this."}, status=403)


@api.exception_handler(LockedOut)
def on_locked_out(request, exc):
    return api.create_response(request, {"detail": "Too many failed attempts; try again later."},
                               status=429)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


def _register_routers():
    from crossroads.access.api import router as access_router
    from crossroads.assistance.api import router as assistance_router
    from crossroads.audit.api import router as audit_router
    from crossroads.exchange.api import router as exchange_router
    from crossroads.linkage.api import router as linkage_router
    from crossroads.regional.api import router as regional_router
    from crossroads.registry.api import router as registry_router
    from crossroads.statistics.api import router as statistics_router
    from crossroads.statistics.release_api import router as release_router

    api.add_router("", registry_router)
    api.add_router("", access_router)
    api.add_router("", audit_router)
    api.add_router("", linkage_router)
    api.add_router("", assistance_router)
    api.add_router("", statistics_router)
    api.add_router("", release_router)
    api.add_router("", regional_router)
    api.add_router("", exchange_router)


_register_routers()

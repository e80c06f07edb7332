"""The JSON API under /api/v1/: authentication, error shapes and the routers of each app."""

import datetime
import itertools
import json
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer, SessionAuth
from pydantic import ValidationError as PydanticError

from crossroads.access import idempotency, lockout
from crossroads.access.choices import TokenScope
from crossroads.access.lockout import LockedOut
from crossroads.access.models import ApiToken
from crossroads.access.policy import PolicyDenied
from crossroads.api_types import DOMAIN_CHECKS
from crossroads.text import hidden_character
from crossroads.versions import StaleVersion, etag
from crossroads.web.api_docs import verified_session_required

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# A search is a POST only to keep its terms (names) out of the URL; it reads, like a GET.
SEARCH_SUFFIX = "/search"
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
AUTHORIZATION = "HTTP_AUTHORIZATION"


def _reads_only(request) -> bool:
    return request.method in SAFE_METHODS or (
        request.method == "POST" and request.path.endswith(SEARCH_SUFFIX))


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
        if not _reads_only(request) and found.scope != TokenScope.WRITE:
            raise PolicyDenied("read-only token")
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            # A write per call would serialise readers; a minute's precision is enough. After
            # the commit: a keyed POST runs in one transaction, which must not hold the row.
            transaction.on_commit(lambda: ApiToken.objects.filter(pk=found.pk).update(
                last_used_at=now), robust=True)
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
    409: "The record changed since it was read (a stale If-Match, or another change came "
         "first); nothing was written.",
    413: "The request body is too large.",
    401: "No valid token, or no session with a verified second factor.",
    403: "The access policy refuses the call (or a read-only token tried to write).",
    404: "Nothing the caller may see has this id.",
    422: "Invalid input; `detail[].loc` names the offending field. Nothing was written.",
    429: "Too many failed attempts from this address; try again later.",
}


IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    "description": "Send a new key (a UUID) with each write; a retry with the same key and body "
                   "gets the first answer again (header `Idempotent-Replayed: true`) and writes "
                   "nothing; the same key with another body is a 422. Keys are per user and "
                   "kept CROSSROADS_IDEMPOTENCY_HOURS (24 by default).",
}


class NodeAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema["paths"].values():
            if "post" in operations:
                operations["post"].setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
            for operation in operations.values():
                parameters = operation.get("parameters", [])
                codes = [401, 403, 429]
                if any(p.get("in") == "path" for p in parameters):
                    codes.append(404)
                if parameters or "requestBody" in operation:
                    codes.append(422)
                if "requestBody" in operation:
                    codes += [400, 413]
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


@api.exception_handler(StaleVersion)
def on_stale(request, exc):
    response = api.create_response(request, {
        "detail": "The record changed since you read it; nothing was written. Read it again "
                  "and send its version as If-Match.", "version": exc.current}, status=409)
    if exc.current is not None:
        response["ETag"] = etag(exc.current)
    return response

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


def _without(body, paths: list[list]) -> list[list]:
    """Remove each path's field from the body (a list item takes its whole list); the paths
    removed."""
    removed = []
    for path in paths:
        field = list(itertools.takewhile(lambda key: isinstance(key, str), path))
        parent = body
        for key in field[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if field and isinstance(parent, dict) and field[-1] in parent:
            del parent[field[-1]]
            removed.append(field)
    return removed


def _domain_errors(request, schema_errors: list[dict]) -> list[dict]:
    """The domain check's errors about the fields that parsed (`check_also_on_schema_errors`)."""
    found = DOMAIN_CHECKS.get((getattr(request.resolver_match, "url_name", None),
                               request.method))
    if found is None:
        return []
    schema, check = found
    if any(e["loc"][:1] != ["body"] for e in schema_errors):
        return []  # a wrong path or query parameter: there is no object to check against
    try:
        body = json.loads(request.body)
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    removed = _without(body, [e["loc"][1:] for e in schema_errors if e["loc"][:1] == ["body"]])
    try:
        parsed = schema.model_validate(body)
    except PydanticError:
        return []  # a required field failed: nothing left to check
    try:
        check(request.user, parsed, **request.resolver_match.kwargs)
    except ValidationError as error:
        overlaps = [tuple(path) for path in removed]
        return [e for e in _field_errors(error) if not any(
            tuple(e["loc"][1:len(path) + 1]) == path for path in overlaps)]
    except (PolicyDenied, Http404):
        return []  # who may not write there learns nothing more than the schema's errors
    return []


@api.exception_handler(SchemaError)
def on_schema_error(request, exc):
    errors = [_schema_error(e) for e in exc.errors]
    return api.create_response(request, {"detail": errors + _domain_errors(request, errors)},
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


WRITE_METHODS = {"POST", "PUT", "PATCH"}


def _hidden_in(value, where: list) -> tuple[list, str] | None:
    """The path and the character of the first string of a JSON value holding a NUL or an
    invisible format character (crossroads.text.hidden_character)."""
    if isinstance(value, str):
        found = hidden_character(value)
        return (where, found) if found else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for key, item in items:
        found = _hidden_in(item, [*where, key])
        if found:
            return found
    return None


def _checked_body(run):
    """Before anything else on a write: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 413
    (not Django's HTML 400), and a NUL or a bidi override anywhere in a JSON body is a 422
    naming the field, on every route (names and free text alike)."""

    @wraps(run)
    def operation(request, *args, **kwargs):
        if request.method not in WRITE_METHODS:
            return run(request, *args, **kwargs)
        try:
            body = request.body
        except RequestDataTooBig:
            return api.create_response(request, {"detail": (
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} "
                "bytes.")}, status=413)
        try:
            found = _hidden_in(json.loads(body), ["body"]) if body else None
        except ValueError:
            found = None  # not JSON: ninja's parser answers
        if found:
            where, char = found
            return api.create_response(request, {"detail": [{
                "loc": where, "type": "value_error",
                "msg": f"Remove the invisible character {char}: it changes how the text "
                       "displays (a bidirectional override, a NUL)."}]}, status=422)
        return run(request, *args, **kwargs)

    return operation


def _keyed_in_one_transaction(run):
    """A POST with an Idempotency-Key runs in one transaction with its key: its answer is kept
    with its writes, or a refusal (4xx) or failure leaves neither (crossroads.access.idempotency).
    Wraps the whole operation, so a malformed key is refused on every POST before anything."""

    @wraps(run)
    def operation(request, *args, **kwargs):
        key = idempotency.requested_key(request)
        if key is None:
            return run(request, *args, **kwargs)
        error = idempotency.key_error(key)
        if error:
            return api.create_response(request, {"detail": [
                {"loc": ["header", "Idempotency-Key"], "msg": error, "type": "value_error"}]},
                status=422)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            reserved = getattr(request, "_idempotency", None)
            if reserved is None or response.status_code >= 400:
                transaction.set_rollback(True)
            else:
                idempotency.keep(reserved, response)
        return response

    return operation


def _replay_or_reserve(view):
    """After authentication and validation: the first answer to this user's key, or the key
    taken for this request."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        key = idempotency.requested_key(request)
        if key is None or getattr(request, "auth", None) is None:  # a route without log-in
            return view(request, *args, **kwargs)
        found = idempotency.reserve(request.auth, key, request)
        if isinstance(found, HttpResponse):
            return found
        request._idempotency = found
        return view(request, *args, **kwargs)

    return checked


api.add_decorator(_keyed_in_one_transaction, mode="view")
api.add_decorator(_checked_body, mode="view")  # added last: runs first
api.add_decorator(_replay_or_reserve, mode="operation")


def _register_routers():
    from crossroads.access.api import router as access_router
    from crossroads.assistance.api import router as assistance_router
    from crossroads.audit.api import router as audit_router
    from crossroads.campaigns.api import router as campaigns_router
    from crossroads.exchange.api import router as exchange_router
    from crossroads.field.api import router as field_router
    from crossroads.investigations.api import router as investigations_router
    from crossroads.linkage.api import router as linkage_router
    from crossroads.monitor.api import router as monitor_router
    from crossroads.networks.api import router as networks_router
    from crossroads.oversight.api import router as oversight_router
    from crossroads.regional.api import router as regional_router
    from crossroads.registry.api import router as registry_router
    from crossroads.statistics.api import router as statistics_router
    from crossroads.statistics.justice_api import router as justice_router
    from crossroads.statistics.release_api import router as release_router
    from crossroads.tips.api import router as tips_router

    api.add_router("", registry_router)
    api.add_router("", access_router)
    api.add_router("", audit_router)
    api.add_router("", linkage_router)
    api.add_router("", investigations_router)
    api.add_router("", networks_router)
    api.add_router("", assistance_router)
    api.add_router("", statistics_router)
    api.add_router("", monitor_router)
    api.add_router("", justice_router)
    api.add_router("", release_router)
    api.add_router("", regional_router)
    api.add_router("", exchange_router)
    api.add_router("", tips_router)
    api.add_router("", oversight_router)
    api.add_router("", campaigns_router)
    api.add_router("", field_router)


_register_routers()

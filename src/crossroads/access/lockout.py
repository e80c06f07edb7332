"""The lock-out after repeated failures (django-axes), shared by every step that checks a secret:
the password, the second factor (and its enrolment), and API tokens.

Failures are counted per user name and address (``AXES_LOCKOUT_PARAMETERS``). What django-axes
keeps of a failed attempt is cut down by :class:`RedactingAxesHandler`: the request's query
string and form fields (which carry search terms such as ``next=/persons/?q=<name>`` or a
document number) and its concrete path are never written to the database.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import QueryDict


class LockedOut(Exception):
    """Too many failed attempts from this user name and address (HTTP 429)."""


def credentials(username: str, **extra) -> dict:
    return {"username": username, **extra}


def is_locked(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials(username))


def check(request, username: str) -> None:
    """Raise LockedOut if this user name is locked out from this address."""
    if is_locked(request, username):
        raise LockedOut


def failed(request, username: str, sender: str, **extra) -> None:
    """Count a failed attempt (a wrong password, code or token) towards the lock-out."""
    user_login_failed.send(sender=sender, request=request,
                           credentials=credentials(username, **extra))


class _Redacted:
    """The request as django-axes may see it when it records: no query string, no form fields.
    Attributes axes sets (axes_locked_out, axes_credentials, ...) land on the real request, where
    its middleware reads them."""

    GET = POST = QueryDict()

    def __init__(self, request):
        object.__setattr__(self, "_request", request)

    def __getattr__(self, name):
        return getattr(self._request, name)

    def __setattr__(self, name, value):
        setattr(self._request, name, value)


def _route(request) -> str:
    """The URL pattern of the request (``api/v1/persons/<int:person_id>``), never the concrete
    path, which could carry a value a user typed."""
    match = getattr(request, "resolver_match", None)
    return (match.route if match is not None else "")[:255]


class RedactingAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler, storing no request content: ``get_data`` and ``post_data``
    stay empty and ``path_info`` holds the URL pattern only (AccessAttempt, AccessFailureLog and
    AccessLog alike). The user name, address, user agent and Accept header are kept: the lock-out
    and an investigation of an attack need them, and none carries what a user searched for."""

    @staticmethod
    def _redact(request):
        request.axes_path_info = _route(request)
        return _Redacted(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        return super().user_login_failed(sender, credentials, self._redact(request), **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        return super().user_logged_in(sender, self._redact(request), user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        return super().user_logged_out(sender, self._redact(request), user, **kwargs)

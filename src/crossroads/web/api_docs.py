"""The API's schema (`/api/v1/openapi.json`) and interactive docs (`/api/v1/docs`) describe
every route and field of the node: they answer only a session that passed the second factor,
in every environment (finding 11 of issue 13), like the pages do."""

from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _


def verified_session_required(view):
    """ninja's `docs_decorator`: a logged-in, second-factor-verified session, or 401 for the
    schema and a redirect to the log-in for the docs page."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_verified():
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": _("Log in (with the second factor) to read the API "
                                             "schema.")}, status=401)
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={quote(request.get_full_path())}")
    return wrapped

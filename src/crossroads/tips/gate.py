"""The early gate of the public routes: the first middleware of the stack, so that a flood of
public posts is refused before it costs a session, CSRF, authentication, a body parse or a
database query, and never takes every worker thread from the staff.

For a POST to a public route it asks the in-memory budget (`limits`, nothing stored, no
address kept) and, when the request fits, takes one of the process's few public slots
(CROSSROADS_TIPS_CONCURRENCY, fewer than the server's threads): a public request that finds
every slot taken is answered 503 with Retry-After at once instead of waiting for one. The
route itself then reads the gate's decision (`limits.allowed`) rather than counting again.

The form is never refused silently: the first few refusals of a window go on to the form's
own page, which shows the reason beside the text the reporter wrote; only a client that goes
on posting past those gets the short answer here (the text is still in the browser's form
when they go back)."""

import json
import threading

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from . import limits

API = {"/api/v1/public/reports": "submit", "/api/v1/public/reports/lookup": "lookup",
       "/api/v1/public/reports/reply": "reply"}
FORMS = {"/report/": "submit", "/report/return/": "lookup"}
FRIENDLY_REFUSALS = 3  # refusals per window and client that still get the form's own page
TOO_MANY = json.dumps({"detail": "Too many requests; wait a minute and try again."})
BUSY = json.dumps({"detail": "Busy; try again in a few seconds."})


def _answer(request, status: int, api: bool, body: str, text) -> HttpResponse:
    if api:
        response = HttpResponse(body, status=status, content_type="application/json")
    else:
        language = request.GET.get("lang", "")
        codes = {code for code, _name in settings.LANGUAGES}
        with translation.override(language if language in codes else settings.LANGUAGE_CODE):
            response = HttpResponse(str(text()), status=status,
                                    content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if status == 503:
        response.headers["Retry-After"] = "2"
    return response


def _too_many_text():
    return _("Too many reports are arriving just now. Please wait a minute, go back and send "
             "again: what you wrote is still in the form.")


def _busy_text():
    return _("The service is busy just now. Please go back and send again in a few seconds: "
             "what you wrote is still in the form.")


class PublicGate:
    def __init__(self, get_response):
        self.get_response = get_response
        self._slots = threading.BoundedSemaphore(settings.CROSSROADS_TIPS_CONCURRENCY)

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        api = request.path in API
        kind = API.get(request.path) or FORMS.get(request.path)
        if kind is None:
            return self.get_response(request)
        allowed, refused = limits.decide(kind, request.META.get("REMOTE_ADDR", ""))
        if not allowed and (api or refused > FRIENDLY_REFUSALS):
            return _answer(request, 429, api, TOO_MANY, _too_many_text)
        if not self._slots.acquire(blocking=False):
            return _answer(request, 503, api, BUSY, _busy_text)
        try:
            request.tips_allowed = allowed
            return self.get_response(request)
        finally:
            self._slots.release()

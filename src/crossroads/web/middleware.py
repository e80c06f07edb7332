"""Request plumbing: the stated purpose for the audit chain, and the second-factor gate."""

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from crossroads.access.mfa import mfa_required
from crossroads.audit.services import MAX_PURPOSE, current_purpose, purpose_problem
from crossroads.registry import purpose


class PurposeMiddleware:
    """The purpose written in the audit entries of a request. On the API, the client's
    `X-Purpose` header (one line of at most 200 characters; anything else is refused with a
    400). On a page, the purpose it carries from its case, a break-glass reason, or the
    account's default (`registry.purpose.derive`); the person pages and the name search ask for
    one where none is carried (`registry.views.purpose`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        purpose = request.headers.get("X-Purpose", "")
        if purpose_problem(purpose):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "X-Purpose must be one line of at most "
                                     f"{MAX_PURPOSE} characters, without control characters."},
                                    status=400)
            purpose = ""
        token = current_purpose.set(purpose)
        try:
            return self.get_response(request)
        finally:
            current_purpose.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or user is None or not user.is_authenticated:
            return None
        derived = purpose.derive(user, view_kwargs)
        if derived:
            current_purpose.set(derived)  # undone by __call__'s reset
        return None


class SecondFactorMiddleware:
    """A password alone opens nothing: until the second factor is verified, a logged-in user
    reaches only the verification and enrolment pages (and log-out, language, static files).

    On the API a session without a verified second factor counts for nothing: without an
    Authorization header the answer is a 401; with one, the request goes on as anonymous, so only
    a valid bearer token can authenticate it (crossroads.api.BearerToken; the API's session auth
    also requires the verified second factor). Bearer tokens are issued only to verified
    sessions."""

    OPEN_PATHS = ("/login/", "/logout/", "/language/", "/mfa/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and mfa_required(user) and not user.is_verified()
                and not request.path.startswith(self.OPEN_PATHS)):
            if not request.path.startswith("/api/"):
                return redirect(f"{reverse('mfa-verify')}?next={request.get_full_path()}")
            if "HTTP_AUTHORIZATION" not in request.META:
                return JsonResponse({"detail": "Second factor required."}, status=401)
            request.user = AnonymousUser()
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and API answers for a logged-in user may hold identities: no cache keeps them
    (a shared computer's browser cache, or a proxy), and the back button after log-out shows
    nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

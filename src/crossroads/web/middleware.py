"""Carry the stated purpose of a request into the audit chain."""

from crossroads.audit.services import current_purpose


class PurposeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        purpose = request.headers.get("X-Purpose", "")[:200]
        token = current_purpose.set(purpose or "")
        try:
            return self.get_response(request)
        finally:
            current_purpose.reset(token)

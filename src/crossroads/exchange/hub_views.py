"""The hub's HTTP API under /hub/v1/: every call but the directory is a request signed by a
registered node (`signed_requests`); answers are JSON. Present only in hub mode."""

import json
import uuid
from functools import wraps

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import hub
from .hub import HubRefusal

MAX_BODY = 2 * 1024 * 1024


def _json_body(request):
    try:
        return json.loads(request.body or b"{}")
    except ValueError:
        raise HubRefusal("the body is not JSON", status=400) from None


def signed(view):
    """Hub mode only; the caller authenticated by its request signature; refusals as JSON."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapper(request):
        if not hub.is_hub():
            raise Http404
        if len(request.body) > MAX_BODY:
            return JsonResponse({"detail": "too large"}, status=413)
        try:
            node = hub.authenticate(request.headers, request.method, request.path, request.body)
            return JsonResponse(view(request, node, _json_body(request)))
        except HubRefusal as refusal:
            return JsonResponse({"detail": str(refusal)}, status=refusal.status)

    return wrapper


@require_GET
def directory(request):
    if not hub.is_hub():
        raise Http404
    return JsonResponse(hub.directory())


@signed
def messages(request, node, body):
    return {"status": hub.receive(node, body)}


@signed
def mailbox(request, node, body):
    limit = body.get("limit", hub.MAILBOX_BATCH)
    if not isinstance(limit, int) or not 1 <= limit <= hub.MAILBOX_BATCH:
        raise HubRefusal(f"limit: 1 to {hub.MAILBOX_BATCH}")
    return {"envelopes": hub.mailbox(node, limit)}


@signed
def mailbox_ack(request, node, body):
    ids = body.get("ids")
    try:
        if not isinstance(ids, list) or len(ids) > hub.MAILBOX_BATCH:
            raise ValueError
        ids = [str(uuid.UUID(i)) for i in ids]
    except (TypeError, ValueError, AttributeError):
        raise HubRefusal("ids: a list of message ids") from None
    return {"acked": hub.ack(node, ids)}


@signed
def witness(request, node, body):
    return hub.witness_heads(node)

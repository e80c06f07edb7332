"""Reads of field capture: the device's key and settings, the submissions a worker sent, and the
content of one still waiting for a decision (opened on the node, the read audited)."""

from django.conf import settings

from crossroads.access.actions import VIEW
from crossroads.access.policy import get_visible_or_404, require_capability, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.keys import field_keys

from .choices import OPEN_STATUSES
from .models import Submission
from .rules import FIELD_CAPTURE
from .sealed import open_content


def device(user) -> dict:
    """What a device needs to capture offline: the node's public key and its limits."""
    require_capability(user, FIELD_CAPTURE)
    public = field_keys.public_key()
    return {"kid": public["kid"], "public_key": public["raw"],
            "offline_hours": settings.CROSSROADS_FIELD_OFFLINE_HOURS,
            "pin_attempts": settings.CROSSROADS_FIELD_PIN_ATTEMPTS}


def submissions(user):
    require_capability(user, FIELD_CAPTURE)
    return restrict(Submission.objects.select_related("case", "report"), user, VIEW)


def submission(user, pk: int) -> Submission:
    require_capability(user, FIELD_CAPTURE)
    return get_visible_or_404(Submission.objects.select_related("case", "report"), user, pk=pk)


def waiting_content(user, found: Submission, *, context: str) -> dict | None:
    """The opened content of a submission still waiting for a decision (None otherwise); the
    read is recorded, as it shows what the worker captured (names among it)."""
    if found.status not in OPEN_STATUSES or not found.sealed:
        return None
    content = open_content(found)
    record(user, Action.READ_IDENTITY, found, details={"via": context})
    return content

"""Field capture routes of the JSON API: the device's key, the sync of sealed submissions, and
their receipts. A submission is sent with an Idempotency-Key (crossroads.access.idempotency);
its content id makes one record whatever the key."""

from django.middleware.csrf import get_token
from ninja import Query, Router, Status

from crossroads.pagination import PageFilters, page_of, paged

from . import queries, services
from .schemas import DeviceOut, ReceiptOut, SubmissionIn

router = Router(tags=["field capture"])


@router.get("/field/device", response=DeviceOut)
def field_device(request):
    """The node's public key for sealing submissions, the offline limits, and the CSRF token a
    browser session sends with its POSTs."""
    return {**queries.device(request.user), "csrf_token": get_token(request)}


@router.post("/field/submissions", response={201: ReceiptOut, 200: ReceiptOut})
def submit(request, payload: SubmissionIn):
    """Receive a sealed submission. 201 with its receipt; the same content id again (another
    key, the same sealed body) is a 200 with the first receipt. A submission whose case or
    person changed since the capture is kept as a conflict, one that fails the online form's
    validation as needing correction: both wait on the node for the worker's decision. A body
    that does not open (altered, sealed to an unknown key, another content id) is a 422."""
    submission, again = services.receive(request.user, services.Sealed(
        content_id=str(payload.content_id), kind=payload.kind, sealed=payload.sealed.dict()))
    return Status(200 if again else 201, submission)


@router.get("/field/submissions", response=page_of(ReceiptOut))
def submissions(request, filters: Query[PageFilters]):
    return paged(queries.submissions(request.user), filters)

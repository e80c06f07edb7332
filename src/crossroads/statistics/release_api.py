"""Release routes of the JSON API: the catalogue, a release's manifest and files, queuing a
release, the second coordinator's approval, and the privacy ledger."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from crossroads.api_types import Id
from crossroads.pagination import PageFilters, page, page_of, paged

from . import release_workflow
from .choices import ReleaseStatus
from .releases import ReleaseSpec
from .schemas import BudgetOut, DecisionIn, ReleaseFilters, ReleaseIn, ReleaseOut, ReleasePage

router = Router(tags=["statistics"])


@router.get("/releases", response=ReleasePage)
def list_releases(request, filters: Query[ReleaseFilters]):
    """Releases the caller may see: a coordinator's jurisdiction's, or approved ones (analysts)."""
    releases = release_workflow.visible_releases(request.user)
    if filters.status:
        if filters.status not in ReleaseStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        releases = releases.filter(status=filters.status)
    return page(releases, filters.limit, filters.offset)


@router.get("/releases/{release_id}", response=ReleaseOut)
def get_release(request, release_id: Id):
    return release_workflow.get_release(request.user, release_id)


@router.get("/releases/{release_id}/files/{name}")
def get_release_file(request, release_id: Id, name: str):
    """One file of an approved release (a CSV or `manifest.json`); audited as an export."""
    path = release_workflow.release_file(request.user, release_id, name)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name,
                        content_type="text/csv" if path.suffix == ".csv" else "application/json")


@router.post("/releases", response={202: ReleaseOut})
def queue_release(request, payload: ReleaseIn):
    """Queue a release of the caller's jurisdiction (coordinators); a background task makes it
    and a second coordinator approves it."""
    spec = ReleaseSpec(kind=payload.kind, columns=payload.columns, k=payload.k,
                       threshold=payload.threshold, epsilon=payload.epsilon)
    return Status(202, release_workflow.queue_release(request.user, spec))


@router.post("/releases/{release_id}/approve", response=ReleaseOut)
def approve_release(request, release_id: Id, payload: DecisionIn):
    """Approve a prepared release (a coordinator other than the one who prepared it)."""
    return release_workflow.approve(request.user, release_id, payload.reason)


@router.post("/releases/{release_id}/reject", response=ReleaseOut)
def reject_release(request, release_id: Id, payload: DecisionIn):
    """Reject a prepared release: its files are deleted (a reason is required)."""
    return release_workflow.reject(request.user, release_id, payload.reason)


@router.get("/privacy-ledger", response=page_of(BudgetOut))
def privacy_ledger(request, filters: Query[PageFilters]):
    """The ε budget of each dataset the caller may see: total, spent, reserved by queued
    releases, remaining, and one entry per differentially private release."""
    return paged(release_workflow.ledger_summaries(request.user), filters)

"""Regional statistics: a node publishes its released tables; the hub combines them.

Publishing prepares a tables release through the node's disclosure control for a named
coordinator (`statistics.release_workflow.prepare`, kind tables, marked for the hub) and checks
it as the hub will; it leaves the node only when a second coordinator approves it on the
releases page, which queues it for the hub as a signed message (`send_to_hub`, called by
`release_workflow.approve`); the delivery worker sends it. On the hub, analysts read the latest
release of every jurisdiction, combined table by table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crossroads.access.policy import VIEW
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.statistics.models import Release, ReleaseStatus
from crossroads.statistics.releases import TABLES, ReleaseSpec

from .models import RegionalRelease
from .receive import KIND
from .tables import (
    Refused,
    RegionalTable,
    column_values,
    combine,
    held,
    read_release,
    validate,
)

DEFAULT_THRESHOLD = 5


@dataclass
class Published:
    version: str
    folder: str
    message_id: str


def prepare_publication(actor, threshold: int = DEFAULT_THRESHOLD) -> Release:
    """Prepare the actor's jurisdiction's suppressed tables for the hub; they wait for a second
    coordinator's approval. Refused (`tables.Refused`) if the hub would refuse them."""
    from crossroads.statistics import release_workflow

    release = release_workflow.prepare(actor, ReleaseSpec(kind="tables", threshold=threshold),
                                       publish_to_hub=True)
    if release.status != ReleaseStatus.PREPARED:
        raise ValidationError(release.error or release.get_status_display())
    validate(read_release(release.folder, release.manifest), [release.jurisdiction_id])
    return release


def send_to_hub(release: Release, actor) -> Published:
    """Queue an approved release's tables for the hub (inside the approval's transaction)."""
    from crossroads.exchange import transport

    try:
        body = validate(read_release(release.folder, release.manifest), [release.jurisdiction_id])
    except Refused as error:
        raise ValidationError(_("The hub would refuse these tables (%(why)s); nothing was sent.")
                              % {"why": error}) from None
    message = transport.send_to_hub(KIND, body)
    record(actor, Action.EXPORT, object_type="regional.publication", object_id=body["version"],
           jurisdiction=release.jurisdiction_id, details={
               "message": str(message.message_id), "release": release.pk,
               "threshold": release.threshold, "prepared_by": release.created_by_id,
               "approved_by": actor.get_username()})
    return Published(body["version"], str(release.folder), str(message.message_id))


def latest_releases(user) -> dict[str, RegionalRelease]:
    """The newest release of each jurisdiction the user may see (none unless an analyst)."""
    latest: dict[str, RegionalRelease] = {}
    for release in RegionalRelease.objects.restrict(user, VIEW).order_by("jurisdiction",
                                                                         "-made_at"):
        latest.setdefault(release.jurisdiction, release)
    return latest


def regional_table(releases: dict[str, RegionalRelease], name: str,
                   column: str | None = None) -> RegionalTable:
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}")
    return combine(name, held(name, {code: r.tables for code, r in releases.items()}), column)


def table_columns(releases: dict[str, RegionalRelease], name: str) -> list[str]:
    return column_values(held(name, {code: r.tables for code, r in releases.items()}))

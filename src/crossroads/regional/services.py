"""Regional statistics: a node publishes its released tables; the hub combines them.

Publishing makes a tables release through the node's disclosure control
(`statistics.releases.make_release`, kind tables), checks it as the hub will, and queues it for the hub as
a signed message; the delivery worker sends it. On the hub, analysts read the latest release
of every jurisdiction, combined table by table.
"""

from __future__ import annotations

from dataclasses import dataclass

from crossroads.access.policy import VIEW
from crossroads.audit.models import Action
from crossroads.audit.services import record
from crossroads.statistics.releases import TABLES, ReleaseSpec, make_release, release_dir

from .models import RegionalRelease
from .receive import KIND
from .tables import RegionalTable, column_values, combine, read_release, validate

DEFAULT_THRESHOLD = 5


@dataclass
class Published:
    version: str
    folder: str
    message_id: str


def publish_tables(jurisdiction: str, *, threshold: int = DEFAULT_THRESHOLD, approved_by: str,
                   actor=None) -> Published:
    """Release the jurisdiction's suppressed tables and queue them for the hub."""
    from crossroads.exchange import transport

    release = make_release(ReleaseSpec(kind="tables", threshold=threshold, jurisdiction=jurisdiction),
                           out=release_dir(), approved_by=approved_by, actor=actor)
    body = validate(read_release(release.folder, release.manifest), [jurisdiction])
    message = transport.send_to_hub(KIND, body)
    record(actor, Action.EXPORT, object_type="regional.publication", object_id=body["version"],
           jurisdiction=jurisdiction, details={"message": str(message.message_id),
                                               "threshold": threshold})
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
    return combine(name, {code: r.tables[name] for code, r in releases.items()}, column)


def table_columns(releases: dict[str, RegionalRelease], name: str) -> list[str]:
    return column_values({code: r.tables[name] for code, r in releases.items()})

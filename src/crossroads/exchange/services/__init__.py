"""The exchange's writes, which the API, the pages, the CLI and the worker call: one module per
subject, their public functions gathered here.

- `requests`: formal requests (create, approve, refuse; refusals when a person may no longer be
  shared; deadline reminders) and the `request` / `decision` inbox handlers;
- `hits`: the `hit` inbox handler;
- `sharing`: keeping the hub's encodings of this node's persons current (`sync`), and through
  `selector_sharing` the keyed hashes of its selectors;
- `nodes`: the hub's registry of nodes, the confirmation of a pinned peer's new keys.

Importing this package registers the inbox handlers and the check before an answer leaves.
"""

from . import hits  # noqa: F401 (registers the `hit` handler)
from .nodes import confirm_peer, deactivate_node, register_node
from .requests import (
    MAX_TEXT,
    allowed_fields,
    approve,
    create_request,
    refuse,
    refuse_unanswerable,
    remind_deadlines,
)
from .sharing import SyncResult, node_jurisdictions, sync

__all__ = [
    "MAX_TEXT", "SyncResult", "allowed_fields", "approve", "confirm_peer", "create_request",
    "deactivate_node", "node_jurisdictions", "refuse", "refuse_unanswerable", "register_node",
    "remind_deadlines", "sync",
]

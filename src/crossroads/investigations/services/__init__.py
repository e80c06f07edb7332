"""Investigations' writes: every surface (pages, API, CLI, tasks) calls these functions."""

from .handling import (
    approve_handling_change,
    reject_handling_change,
    request_handling_code,
    require_change,
)
from .lead import require_lead
from .log import EventInput, add_event, attach_evidence
from .markers import mark_suspect, name_group
from .ownership import transfer_ownership
from .persons import add_existing_person, add_person, check_new_person
from .proceedings import (
    OffenceInput,
    Outcome,
    ProceedingInput,
    move_stage,
    open_proceeding,
    update_offence,
)
from .team import add_member, remove_member

__all__ = ["EventInput", "OffenceInput", "Outcome", "ProceedingInput", "add_event",
           "add_existing_person", "add_member", "add_person", "approve_handling_change",
           "attach_evidence", "check_new_person", "mark_suspect", "move_stage", "name_group",
           "open_proceeding", "reject_handling_change", "remove_member", "request_handling_code",
           "require_change", "require_lead",
           "transfer_ownership", "update_offence"]

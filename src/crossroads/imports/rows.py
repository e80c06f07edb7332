"""One source row checked as the register would check it, and told apart from what an earlier
import brought in: new, unchanged, changed (the fields named), or rejected (every error of the
row at once, by line, column and field)."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from crossroads.registry import services as registry
from crossroads.registry.blind_index import digest
from crossroads.registry.choices import STATUS_TRANSITIONS, CaseStatus

from .mapping import Mapping, RowInputs

NEW, UNCHANGED, CHANGED, REJECTED = "new", "unchanged", "changed", "rejected"


@dataclass
class Checked:
    line: int
    source_id: str
    outcome: str = NEW
    inputs: RowInputs | None = None                       # as mapped, errors or not
    digests: dict[str, str] = field(default_factory=dict)
    problems: list[dict] = field(default_factory=list)   # {line, column, field, message}


def field_digests(mapping: Mapping, row: dict) -> dict[str, str]:
    """A keyed digest (the blind index's key) of each mapped field's text in the row."""
    names = dict.fromkeys([*mapping.columns, *mapping.defaults])
    return {name: digest("import", f"{name}\x1f{mapping.raw(row, name)}") for name in names}


def status_path(status: str) -> list[str]:
    """The statuses a new (open) case moves through to reach `status`, shortest first."""
    paths = {CaseStatus.OPEN: []}
    queue = deque([CaseStatus.OPEN])
    while queue:
        at = queue.popleft()
        for step in sorted(STATUS_TRANSITIONS[at]):
            if step not in paths:
                paths[step] = [*paths[at], step]
                queue.append(step)
    return paths[CaseStatus(status)]


def _problems(mapping: Mapping, line: int, error: ValidationError) -> list[dict]:
    found = []
    for place, messages in error.message_dict.items():
        parts = [] if place == NON_FIELD_ERRORS else place.split(".")
        name = next((part for part in reversed(parts) if part in mapping.columns
                     or part in mapping.defaults), parts[-1] if parts else "")
        column = mapping.columns.get(name, "")
        found += [{"line": line, "column": column, "field": name, "message": message}
                  for message in messages]
    return found


def without_values(checked: Checked, mapping: Mapping, row: dict) -> Checked:
    """The row's problems with no value of the file in their messages, for whoever may not see
    the register's identities (a coordinator's import for another agency): every cell's text,
    and each item of a list cell, is cut out of a message that quotes it ("… is not a date");
    what is left names the line, the column and the field."""
    values = set()
    for text in row.values():
        text = (text or "").strip()
        values.update([text, *(item.strip() for item in text.split(mapping.list_separator))])
    values = sorted((v for v in values if len(v) >= 2), key=len, reverse=True)
    if values:
        quoted = re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in values))
        for problem in checked.problems:
            problem["message"] = quoted.sub("…", problem["message"])
    return checked


def check(actor, mapping: Mapping, line: int, row: dict) -> Checked:
    """The row mapped and validated by the registry (`check_registration`, no write)."""
    checked = Checked(line, mapping.source_id(row))
    inputs, errors = mapping.inputs(row)
    checked.inputs = inputs
    if not checked.source_id:
        errors["source_id"] = [_("The source id is empty: every row needs one.")]
    if inputs.status and inputs.status not in CaseStatus.values:
        errors["status"] = [_("Unknown status; use one of: %(codes)s.")
                            % {"codes": ", ".join(CaseStatus.values)}]
    try:
        registry.check_registration(actor, inputs.person, inputs.case, inputs.exploitation,
                                    inputs.role)
    except ValidationError as error:
        for place, messages in error.message_dict.items():
            name = next((p for p in reversed(place.split(".")) if not p.isdigit()), place)
            if name not in errors:  # the mapping's own message says more
                errors.setdefault(name, []).extend(messages)
    if errors:
        checked.outcome = REJECTED
        checked.problems = _problems(mapping, line, ValidationError(errors))
        for problem in checked.problems:
            if problem["field"] == "source_id":
                problem["column"] = mapping.id_column
        return checked
    checked.digests = field_digests(mapping, row)
    return checked


def compare(checked: Checked, held: dict[str, str] | None, mapping: Mapping) -> None:
    """Set the outcome of a valid row against the digests an earlier import stored for its
    source id (None: not imported yet)."""
    if held is None:
        return
    changed = sorted(name for name, value in checked.digests.items() if held.get(name) != value)
    if not changed:
        checked.outcome = UNCHANGED
        return
    checked.outcome = CHANGED
    checked.problems = [{
        "line": checked.line, "column": ", ".join(mapping.columns.get(n, "") for n in changed),
        "field": ", ".join(changed),
        "message": _("Changed in the source since it was imported: not applied; the register "
                     "keeps what it holds (edit the case to change it).")}]

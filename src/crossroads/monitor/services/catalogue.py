"""The obligation catalogue: loaded from the copy shipped in the package (data/obligations.yaml),
corrected by coordinators (each change a revision with before, after and reason) and marked
verified against the official text."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE
from crossroads.access.policy import require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.validation import collect

from .. import reference
from ..choices import FILE_NAMES, OBLIGATION_FIELDS, Pillar, Verification
from ..models import Obligation, ObligationRevision
from ..rules import MANAGE_REVIEWS

REASON_MAX = 500


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)      # corrected by a coordinator: not touched
    unchanged: int = 0


def _fields(obligation: Obligation) -> dict:
    return {name: getattr(obligation, name) for name in (*OBLIGATION_FIELDS, "verification")}


def _check_entry(key: str, values: dict) -> None:
    """A file entry the table cannot hold is refused by name (before anything is written)."""
    if len(key) > Obligation._meta.get_field("key").max_length:
        raise ValueError(f"{key}: the identifier is too long")
    for name, value in values.items():
        limit = Obligation._meta.get_field(name).max_length
        if limit and len(value) > limit:
            raise ValueError(f"{key}: {name} is longer than {limit} characters")
    if values["pillar"] not in Pillar.values:
        raise ValueError(f"{key}: pillar {values['pillar']!r} is not one of {', '.join(Pillar.values)}")
    if values["verification"] not in Verification.values:
        raise ValueError(f"{key}: verification {values['verification']!r} is unknown")


def load_catalogue(path=None) -> LoadResult:
    """Bring the catalogue in line with the shipped file (an operator's step, `crossroads
    monitor load-obligations`): new entries are created, entries nobody corrected follow the
    file (a revision records each change), corrected entries are kept and named."""
    entries, source = reference.obligations(path)
    result = LoadResult()
    with transaction.atomic():
        for entry in entries:
            values = {name: entry.get(FILE_NAMES.get(name, name)) or "" for name in OBLIGATION_FIELDS}
            values["verification"] = entry["verification"]
            _check_entry(entry["id"], values)
            found = Obligation.objects.filter(key=entry["id"]).first()
            if found is None:
                obligation = Obligation.objects.create(key=entry["id"], loaded_from=source,
                                                       **values)
                result.created.append(obligation.key)
                continue
            if found.corrected:
                result.kept.append(found.key)
                continue
            before = _fields(found)
            if before == values:
                result.unchanged += 1
                continue
            for name, value in values.items():
                setattr(found, name, value)
            found.loaded_from, found.updated_at = source, timezone.now()
            found.save()
            ObligationRevision.objects.create(obligation=found, before=before, after=values,
                                              reason=f"loaded from {source}")
            result.updated.append(found.key)
        record(None, Action.UPDATE, object_type="monitor.obligation", object_id="catalogue",
               details={"source": source, "created": len(result.created),
                        "updated": len(result.updated), "kept": len(result.kept)})
    return result


def _reason(errors, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        errors.add({"reason": _("Say why (it is kept in the entry's history).")})
    elif len(reason) > REASON_MAX:
        errors.add({"reason": _("At most %(max)s characters.") % {"max": REASON_MAX}})
    return reason


def correct_obligation(actor, obligation: Obligation, changes: dict, reason: str) -> Obligation:
    """A coordinator corrects an entry; the history keeps what it was. Correcting the article
    or paragraph lowers its verification to "not verified" unless it is marked again."""
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, obligation)
    with collect() as errors:
        unknown = sorted(set(changes) - set(OBLIGATION_FIELDS))
        if unknown:
            errors.add({name: _("This field cannot be changed.") for name in unknown})
        for name in ("instrument", "article", "obligation", "question"):
            if name in changes and not str(changes[name] or "").strip():
                errors.add({name: _("This field cannot be empty.")})
        if "pillar" in changes and changes["pillar"] not in Pillar.values:
            errors.add({"pillar": _("Choose one of: %(values)s.") % {
                "values": ", ".join(Pillar.values)}})
        for name in ("instrument", "article", "paragraph"):
            limit = Obligation._meta.get_field(name).max_length
            if name in changes and len(str(changes[name] or "")) > limit:
                errors.add({name: _("At most %(max)s characters.") % {"max": limit}})
        reason = _reason(errors, reason)
    before = _fields(obligation)
    changed = {name: str(value or "").strip() for name, value in changes.items()
               if str(value or "").strip() != before[name]}
    if not changed:
        raise ValidationError({"__all__": _("Nothing changed.")})
    if {"article", "paragraph"} & set(changed) and obligation.verification == Verification.OFFICIAL:
        changed["verification"] = Verification.NOT_VERIFIED
    with transaction.atomic():
        for name, value in changed.items():
            setattr(obligation, name, value)
        obligation.corrected, obligation.updated_at = True, timezone.now()
        obligation.save()
        ObligationRevision.objects.create(obligation=obligation, changed_by=actor, before=before,
                                          after=_fields(obligation), reason=reason)
        record(actor, Action.UPDATE, obligation, details={"changed": sorted(changed),
                                                          "reason": reason})
    return obligation


def mark_verified(actor, obligation: Obligation, source: str, reason: str = "") -> Obligation:
    """A coordinator confirms the entry against the official text named by `source`."""
    require_capability(actor, MANAGE_REVIEWS)
    require(actor, CHANGE, obligation)
    with collect() as errors:
        source = (source or "").strip()
        if not source:
            errors.add({"source": _("Name the official text you checked (its address or "
                                    "publication).")})
        elif len(source) > 500:
            errors.add({"source": _("At most %(max)s characters.") % {"max": 500}})
    before = _fields(obligation)
    with transaction.atomic():
        obligation.verification = Verification.OFFICIAL
        obligation.verified_by, obligation.verified_at = actor, timezone.now()
        obligation.verified_source, obligation.corrected = source, True
        obligation.updated_at = timezone.now()
        obligation.save()
        ObligationRevision.objects.create(
            obligation=obligation, changed_by=actor, before=before, after=_fields(obligation),
            reason=(reason or "").strip()[:REASON_MAX] or f"verified against {source}"[:REASON_MAX])
        record(actor, Action.UPDATE, obligation, details={"verified": source})
    return obligation

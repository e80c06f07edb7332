"""Four-eyes: what one person asks for waits for a second person's decision.

One mechanism for every such flow (account and agency changes in `access.approvals`, releases
and privacy-budget raises in `statistics.release_workflow`). A flow describes its model once as
a `FourEyes` (who asked, of which jurisdiction, which capability decides, which status is
pending, where the decision is written) and keeps only its domain effect. The shared rules:

* the decider is an active user holding the deciding capability, of the request's
  jurisdiction, and another person than the requester (and than anyone else the flow names,
  e.g. the account a change is about); a request without a requester (the operator's command
  line) has nobody to be the second person for, so nobody decides it here;
* a refusal is audited (`record_denied`) outside any transaction, then raises `PolicyDenied`;
* the decision happens on the locked row (`select_for_update`) and only while it is pending,
  so that of two decisions at once only one wins: the other finds it decided
  (`ValidationError` on "status");
* the decision, its decider, time and reason are written and audited in the same transaction.

This module imports no domain app: flows pass their model and names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from crossroads.audit.choices import Action
from crossroads.audit.services import record, record_denied
from crossroads.text import clean_text

from .policy import PolicyDenied, may

REASON_LENGTH = 500


@dataclass(frozen=True)
class FourEyes:
    """How one model is decided by a second person."""

    model: type
    capability: str                  # the deciding capability (`access.rulebook.capability`)
    decided_message: Promise | str   # shown when the request is no longer pending
    requester: str = "requested_by_id"
    jurisdiction: str = "jurisdiction_id"   # attribute path, e.g. "budget.jurisdiction_id"
    others: tuple[str, ...] = ()     # further persons who may not decide (attribute names)
    status: str = "status"
    pending: str = "pending"
    decider: str = "decided_by"
    reason: str = "reason"
    decided_at: str = "decided_at"
    related: tuple[str, ...] = field(default=())  # select_related when locking

    # ------------------------------------------------------------------ who decides

    def may_decide(self, actor, obj) -> bool:
        """Another active user than the requester (and `others`), of the request's
        jurisdiction, holding the deciding capability."""
        requester = getattr(obj, self.requester)
        excluded = {requester, *(getattr(obj, name) for name in self.others)}
        return (may(actor, self.capability) and requester is not None
                and actor.pk not in excluded
                and actor.jurisdiction_id is not None
                and attrgetter(self.jurisdiction)(obj) == actor.jurisdiction_id)

    def require_decider(self, actor, obj, action: str,
                        allowed: Callable[[object, object], bool] | None = None) -> None:
        """403 (audited) unless the actor may decide (`allowed` replaces `may_decide`, e.g.
        for the requester's own withdrawal)."""
        if not (allowed or self.may_decide)(actor, obj):
            record_denied(actor, self.model, {"pk": obj.pk}, action)
            raise PolicyDenied(action)

    # ------------------------------------------------------------------ the decision

    def is_pending(self, obj) -> bool:
        return getattr(obj, self.status) == self.pending

    def already_decided(self) -> ValidationError:
        return ValidationError({"status": self.decided_message})

    def require_pending(self, obj) -> None:
        if not self.is_pending(obj):
            raise self.already_decided()

    def lock(self, obj, related: Iterable[str] = ()):
        """The row again, locked until the end of the transaction, if still pending."""
        qs = self.model.objects.select_for_update()
        names = [*self.related, *related]
        if names:
            qs = qs.select_related(*names)
        locked = qs.get(pk=obj.pk)
        self.require_pending(locked)
        return locked

    def close(self, actor, obj, status: str, reason: str = "", *, at=None,
              fields: dict | None = None, details: dict | None = None, **audit) -> None:
        """Write the decision (status, decider, time, reason and the flow's `fields`) and
        audit it (an UPDATE of the request with `details`; `audit` goes to `record`)."""
        values = {self.status: status, self.decider: actor,
                  self.decided_at: at or timezone.now(),
                  self.reason: clean_text(reason)[:REASON_LENGTH], **(fields or {})}
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save(update_fields=sorted(values))
        record(actor, Action.UPDATE, obj, details=details or {}, **audit)

    def decide(self, actor, obj, action: str, effect: Callable[[object], object], *,
               allowed: Callable[[object, object], bool] | None = None,
               before: Callable[[], None] | None = None, related: Iterable[str] = ()):
        """Check the decider (audited refusal, outside the transaction so that rolling the
        decision back never drops it) and that the request is pending, run `before` (the
        flow's own checks, e.g. a required reason), then in one transaction lock the pending
        row and run `effect(locked)`, which applies the domain change and calls `close`.
        Returns what `effect` returns (the locked row if None)."""
        self.require_decider(actor, obj, action, allowed)
        self.require_pending(obj)
        if before is not None:
            before()
        with transaction.atomic():
            locked = self.lock(obj, related)
            result = effect(locked)
        return locked if result is None else result

"""The one access policy: every read or write of protected rows goes through `restrict`.

This module is the mechanism only (it imports nothing of the project): the rules themselves
live in each app's `rules.py`, registered in `crossroads.access.rulebook`. Deny by default: a
model without a rule, a user without an active account, an agency or a role sees nothing.
Superuser flags grant nothing here. Rules are `Q` filters so that lists, details, exports and
tasks share the same decision. Every refusal is sent as the `denied` signal, which the audit
records as a denied attempt.
"""

from django.db import models
from django.dispatch import Signal
from django.http import Http404

from . import rulebook
from .actions import ACTIONS, CHANGE, COUNT, NOTHING, VIEW, active

__all__ = ["CHANGE", "COUNT", "VIEW", "PolicyDenied", "RestrictedQuerySet", "can", "denied",
           "get_visible_or_404", "may", "require", "require_capability", "restrict",
           "restrict_narrowed"]

# Sent with `user`, `model` (or None), `lookup` and `action` whenever the policy refuses.
denied = Signal()


class PolicyDenied(Exception):
    """Raised when a visible object may not be acted upon (HTTP 403)."""


def _filter(queryset: models.QuerySet, user, action: str, narrowed: bool) -> models.QuerySet:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    found = rulebook.rule_for(queryset.model._meta.label_lower)
    # An action the rule does not describe in words is refused: `who` is the rule's contract.
    if found is None or action not in found.who or not active(user):
        return queryset.none()
    func = found.narrowed if narrowed and found.narrowed else found.func
    q = func(user, action)
    return queryset.none() if q is NOTHING else queryset.filter(q)


def restrict(queryset: models.QuerySet, user, action: str) -> models.QuerySet:
    """The rows of `queryset` that `user` may act on with `action` (deny by default)."""
    return _filter(queryset, user, action, narrowed=False)


def restrict_narrowed(queryset: models.QuerySet, user, action: str) -> models.QuerySet:
    """`restrict` for a queryset already narrowed to a few rows (a search by name, date of
    birth or document): the same decision, checked row by row where the rule offers it."""
    return _filter(queryset, user, action, narrowed=True)


class RestrictedQuerySet(models.QuerySet):
    """The queryset of every protected model; the system checks demand a rule for each."""

    def restrict(self, user, action: str = VIEW):
        return restrict(self, user, action)


def get_visible_or_404(queryset: models.QuerySet, user, **lookup):
    """The object if the user may see it; 404 otherwise, so its existence is not revealed.

    It checks VIEW only: whoever then changes the object asks `require(user, CHANGE, obj)`
    (the services do). A refusal is audited as a denied attempt."""
    try:
        return restrict(queryset, user, VIEW).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        denied.send(sender=queryset.model, user=user, model=queryset.model, lookup=lookup,
                    action=VIEW)
        raise Http404 from None


def can(user, action: str, obj) -> bool:
    return restrict(type(obj).objects.filter(pk=obj.pk), user, action).exists()


def require(user, action: str, obj) -> None:
    """Raise PolicyDenied (403) unless `user` may perform `action` on the visible `obj`."""
    if not can(user, action, obj):
        denied.send(sender=type(obj), user=user, model=type(obj), lookup={"pk": obj.pk},
                    action=action)
        raise PolicyDenied(action)


def may(user, capability: str) -> bool:
    """Whether the user's role holds `capability`; an undeclared name raises UnknownCapability."""
    roles = rulebook.capability_roles(capability)
    return active(user) and user.role in roles


def require_capability(user, capability: str) -> None:
    if not may(user, capability):
        denied.send(sender=None, user=user, model=None, lookup={"capability": capability},
                    action=capability)
        raise PolicyDenied(capability)

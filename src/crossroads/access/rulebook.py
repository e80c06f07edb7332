"""Where every app registers its access rules and capabilities (a leaf: no project import).

Each app declares, in its own `rules.py`, one rule per protected model and the capabilities
its pages and services ask for; `crossroads.access.apps` imports every `rules.py` at start-up
and the system checks (`crossroads.access.checks`) refuse to start when a restricted model
has no rule or code names a capability nobody declared. `crossroads access rules` prints the
whole book, so whoever audits security still reads one place.

A rule is `func(user, action) -> Q` over the model's own fields, called only for an active
account; its `who` says, per action, in words, whom it lets through.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q

RuleFunc = Callable[..., Q]


class UnknownCapability(LookupError):
    """Code asked for a capability no app declared (a typo must not silently deny)."""


@dataclass(frozen=True)
class Rule:
    label: str
    func: RuleFunc
    who: dict[str, str]
    # The same decision checked row by row, for querysets already narrowed to a few rows.
    narrowed: RuleFunc | None = None


@dataclass(frozen=True)
class Capability:
    name: str
    roles: frozenset[str]
    who: str
    module: str = field(default="", compare=False)


_RULES: dict[str, Rule] = {}
_CAPABILITIES: dict[str, Capability] = {}


def rule(label: str, *, narrowed: RuleFunc | None = None, **who: str):
    """Register the decorated function as the rule of model `label` (`app.model`).

    `who` names, per action (`view=`, `change=`, `count=`), whom the rule lets through. Actions
    without a sentence are refused by the rule and shown as "nobody"."""

    def register(func: RuleFunc) -> RuleFunc:
        existing = _RULES.get(label)
        if existing is not None and existing.func is not func:
            raise ValueError(f"a rule for {label} is already registered by {existing.func.__module__}")
        _RULES[label] = Rule(label, func, dict(who), narrowed)
        return func

    return register


def capability(name: str, roles: Iterable[str], who: str) -> str:
    """Declare a capability (something a user may do that is not about one existing row)."""
    found = _CAPABILITIES.get(name)
    roles = frozenset(roles)
    if found is not None and found.roles != roles:
        raise ValueError(f"capability {name} is declared twice with different roles")
    _CAPABILITIES[name] = Capability(name, roles, who)
    return name


def rule_for(label: str) -> Rule | None:
    return _RULES.get(label)


def capability_roles(name: str) -> frozenset[str]:
    try:
        return _CAPABILITIES[name].roles
    except KeyError:
        raise UnknownCapability(name) from None


def rules() -> list[Rule]:
    return [_RULES[label] for label in sorted(_RULES)]


def capabilities() -> list[Capability]:
    return [_CAPABILITIES[name] for name in sorted(_CAPABILITIES)]

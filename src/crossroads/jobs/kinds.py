"""Kinds of job, periodic sources and `tasks` actions (a leaf: no project import).

Each app declares, in its `rules.py`, the kinds of job it queues: what the worker's lines
call it (`noun`, English like the rest of the command's output) and the capability whose
holders see that kind's jobs of their jurisdiction (besides who asked for it, `jobs.rules`).
In its `tasks.py` it may register a periodic source (a function the worker calls on every
round, which queues the work now due: the dashboards' recount when records changed) and
actions of `crossroads tasks ACTION` besides `work` (`remind`, which cron runs daily)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Kind:
    name: str
    noun: str                        # what the worker's lines call one job of this kind
    watchers: str | None = None      # a capability (access.rulebook); None: only the requester
    keep: timedelta | None = None    # finished jobs older than this are pruned (periodic work)


_KINDS: dict[str, Kind] = {}
_SOURCES: dict[str, Callable[[], int]] = {}
_ACTIONS: dict[str, tuple[str, Callable[[], str]]] = {}


def kind(name: str, *, noun: str, watchers: str | None = None,
         keep: timedelta | None = None) -> Kind:
    found = _KINDS.get(name)
    declared = Kind(name, noun, watchers, keep)
    if found is not None and found != declared:
        raise ValueError(f"job kind {name} is declared twice differently")
    _KINDS[name] = declared
    return declared


def kind_of(name: str) -> Kind:
    return _KINDS.get(name) or Kind(name, f"{name} job")


def kinds() -> list[Kind]:
    return [_KINDS[name] for name in sorted(_KINDS)]


def periodic(func: Callable[[], int]) -> Callable[[], int]:
    """Register `func() -> number of jobs queued` as a periodic source of the worker."""
    _SOURCES[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def sources() -> list[Callable[[], int]]:
    return [_SOURCES[name] for name in sorted(_SOURCES)]


def action(name: str, help: str):
    """Register `func() -> the line to print` as `crossroads tasks NAME`."""

    def register(func: Callable[[], str]) -> Callable[[], str]:
        found = _ACTIONS.get(name)
        if found is not None and found[1] is not func:
            raise ValueError(f"tasks action {name} is registered twice")
        _ACTIONS[name] = (help, func)
        return func

    return register


def actions() -> dict[str, tuple[str, Callable[[], str]]]:
    return dict(sorted(_ACTIONS.items()))

"""Abuse control of the public surface, held in memory only (never in the database, never in
a log): a budget per client address and one for the whole node. An address is kept only as a
keyed hash under a key made at start-up and never written anywhere, and only for the window
(a minute); a restart forgets everything. Whoever floods pays with refusals (429), and the
node's own budget keeps the workers free for staff pages (bench/tips/)."""

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings

_KEY = secrets.token_bytes(32)


@dataclass(frozen=True)
class Budget:
    per_client: int  # requests per window and address
    total: int       # requests per window, every address together


WINDOW_SECONDS = 60.0


class Limiter:
    def __init__(self):
        self._lock = threading.Lock()
        self._window_start = time.monotonic()
        self._counts: dict[tuple[str, bytes], int] = {}
        self._totals: dict[str, int] = {}
        self._refused: dict[tuple[str, bytes], int] = {}

    def decide(self, kind: str, client: str, budget: Budget) -> tuple[bool, int]:
        """Whether one more request of `kind` from `client` fits the current window, and, if
        not, how many of the client's requests of this kind the window has refused so far
        (this one included)."""
        tag = hmac.new(_KEY, client.encode(), hashlib.sha256).digest()[:16]
        with self._lock:
            now = time.monotonic()
            if now - self._window_start >= WINDOW_SECONDS:
                self._window_start, self._counts, self._totals = now, {}, {}
                self._refused = {}
            total = self._totals.get(kind, 0)
            count = self._counts.get((kind, tag), 0)
            if total >= budget.total or count >= budget.per_client:
                refused = self._refused.get((kind, tag), 0) + 1
                self._refused[(kind, tag)] = refused
                return False, refused
            self._totals[kind] = total + 1
            self._counts[(kind, tag)] = count + 1
            return True, 0

    def allow(self, kind: str, client: str, budget: Budget) -> bool:
        return self.decide(kind, client, budget)[0]

    def reset(self) -> None:
        with self._lock:
            self._window_start, self._counts, self._totals = time.monotonic(), {}, {}
            self._refused = {}


LIMITER = Limiter()


def budget(kind: str) -> Budget:
    """The budgets of settings.CROSSROADS_TIPS_LIMITS (`{"submit": (per client, total), …}`)."""
    per_client, total = settings.CROSSROADS_TIPS_LIMITS[kind]
    return Budget(per_client, total)


def allow(kind: str, client: str) -> bool:
    return LIMITER.allow(kind, client, budget(kind))


def decide(kind: str, client: str) -> tuple[bool, int]:
    return LIMITER.decide(kind, client, budget(kind))


def allowed(request, kind: str) -> bool:
    """The budget's answer for this request: the gate's (`gate.PublicGate`, which counted it
    before the request reached anything else), or counted here when no gate saw it."""
    decided = getattr(request, "tips_allowed", None)
    if decided is not None:
        return decided
    return allow(kind, request.META.get("REMOTE_ADDR", ""))

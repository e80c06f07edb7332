"""Purpose of access: why a page opens identities, written in the audit entries of its reads.

A page opened within a case (the case page and the pages under it, a person linked from the
case page) carries the purpose from the case: "case_work: <reference>". Under a break-glass
grant the grant's stated reason is the purpose while it lasts; an oversight account reads for
"oversight". Anywhere else (a person from the search, a direct address, the name search itself)
the reader states a purpose first (`state`), which holds for that object in the session for
CROSSROADS_PURPOSE_MINUTES (`remember`, `remembered`). The value is structured: a
`PurposeKind`, then ": " and its detail (a case reference, a free text), at most 200 characters.

The page plumbing (which page needs which purpose) is in `registry.views.purpose` and the web
shell's `PurposeMiddleware`; an app above adds how its own URLs find their case (`add_source`).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crossroads.access.choices import Role
from crossroads.access.models import BreakGlassGrant
from crossroads.access.policy import VIEW, active
from crossroads.audit.choices import PurposeKind
from crossroads.audit.services import MAX_PURPOSE, purpose_problem, record_denied
from crossroads.text import clean_text

from .models import Case, Involvement

# What a reader may choose on the form (break-glass has its own page and reason).
STATED_KINDS = [kind for kind in PurposeKind if kind != PurposeKind.BREAK_GLASS]
SESSION_KEY = "crossroads_purposes"
MAX_REMEMBERED = 100


def compose(kind: str, detail: str = "") -> str:
    """The stored value: the kind, then its detail (cut so that the whole fits the entry)."""
    value = f"{kind}: {detail}" if detail else str(kind)
    return value[:MAX_PURPOSE]


def case_work(case) -> str:
    return compose(PurposeKind.CASE_WORK, case.reference)


def _text_errors(text: str) -> list[str]:
    problem = purpose_problem(text)
    if problem == "too_long":
        return [_("Describe the purpose in at most %(max)d characters.") % {"max": MAX_PURPOSE}]
    if problem == "control":
        return [_("The purpose may not contain control or invisible characters.")]
    return []


def state(user, kind: str, case_reference: str = "", text: str = "") -> str:
    """A purpose the user states, validated: a kind they may choose; for case work a case they
    may see (any other reference is refused, and the attempt audited); for "other" a text. The
    answer is the value to record; every mistake comes at once as a ValidationError."""
    errors: dict[str, list[str]] = {}
    if kind not in STATED_KINDS:
        errors["kind"] = [_("Choose a purpose from the list.")]
    text_errors = _text_errors(text or "")
    if text_errors:
        errors["text"] = text_errors
    text = clean_text(text)
    reference = clean_text(case_reference)
    if _text_errors(case_reference or "") or len(reference) > 40:
        errors["case_reference"] = [_("Give the reference of a case you work on.")]
    detail = text
    if kind == PurposeKind.CASE_WORK and "case_reference" not in errors:
        case = (Case.objects.restrict(user, VIEW).filter(reference__iexact=reference).first()
                if reference else None)
        if case is None:
            errors["case_reference"] = [_("There is no case with this reference that you may see.")]
            if reference:
                record_denied(user, Case, {"reference": reference[:40]}, "purpose")
        else:
            detail = f"{case.reference} {text}".strip()
    if kind == PurposeKind.OTHER and not text:
        errors["text"] = [_("Describe the purpose.")]
    if not errors and detail and len(f"{kind}: {detail}") > MAX_PURPOSE:
        errors["text"] = [_("Describe the purpose in at most %(max)d characters.") % {
            "max": MAX_PURPOSE}]
    if errors:
        raise ValidationError(errors)
    return compose(kind, detail)


def _glass(user, case_ids=(), person_id=None) -> str:
    """The reason of the user's active break-glass grant on these cases (or on a case of
    this person), as the purpose; "" when no grant is open."""
    grants = BreakGlassGrant.objects.active().filter(user_id=user.pk)
    if person_id is not None:
        grants = grants.filter(case__involvements__person_id=person_id)
    else:
        grants = grants.filter(case_id__in=list(case_ids))
    grant = grants.order_by("-granted_at").first()
    return compose(PurposeKind.BREAK_GLASS, f"#{grant.pk} {grant.purpose}") if grant else ""


def default(user) -> str:
    """The purpose an account reads for without stating one: oversight's is "oversight"."""
    return compose(PurposeKind.OVERSIGHT) if getattr(user, "role", "") == Role.OVERSIGHT else ""


def for_case(user, case_id) -> str:
    """The purpose of a page of case `case_id`: the break-glass reason, or case work on it;
    "" for a case the user may not see (the page answers 404 itself)."""
    if not str(case_id).isdigit() or not active(user):
        return ""
    case = Case.objects.restrict(user, VIEW).filter(pk=int(case_id)).only("pk", "reference").first()
    if case is None:
        return ""
    return _glass(user, [case.pk]) or case_work(case)


def for_person(user, person_id: int, case_id=None) -> str:
    """The purpose a person page carries without asking: a break-glass reason on one of the
    person's cases; case work on `case_id` when the page was opened from that case's page
    (a case the user sees and the person is involved in); oversight's default. Else ""."""
    if not active(user):
        return ""
    glass = _glass(user, person_id=person_id)
    if glass:
        return glass
    if case_id is not None and str(case_id).isdigit():
        involvement = (Involvement.objects.restrict(user, VIEW)
                       .filter(person_id=person_id, case_id=int(case_id),
                               case__in=Case.objects.restrict(user, VIEW))
                       .select_related("case").first())
        if involvement is not None:
            return case_work(involvement.case)
    return default(user)


# How a page's URL finds its purpose: the URL's keyword → function(user, value) → purpose.
_SOURCES: dict[str, Callable[[object, object], str]] = {"case_id": for_case}


def add_source(kwarg: str, source: Callable[[object, object], str]) -> None:
    """An app above says how its pages' `kwarg` (e.g. "file_id") finds their purpose."""
    _SOURCES[kwarg] = source


def derive(user, url_kwargs: dict) -> str:
    """The purpose a page carries from its URL (its case), or the account's default; ""."""
    for kwarg, source in _SOURCES.items():
        if kwarg in url_kwargs:
            found = source(user, url_kwargs[kwarg])
            if found:
                return found
    return default(user) if active(user) else ""


def remembered(session, key: str) -> str:
    """The purpose stated for `key` in this session while it holds, or ""."""
    value, until = (session.get(SESSION_KEY) or {}).get(key, ("", 0))
    return value if until > time.time() and not purpose_problem(value) else ""


def remember(session, key: str, value: str) -> None:
    """Keep `value` for `key` for CROSSROADS_PURPOSE_MINUTES (the oldest dropped beyond
    MAX_REMEMBERED, so that a session stays small)."""
    now = time.time()
    kept = {k: v for k, v in (session.get(SESSION_KEY) or {}).items() if v[1] > now}
    kept[key] = (value, now + settings.CROSSROADS_PURPOSE_MINUTES * 60)
    session[SESSION_KEY] = dict(sorted(kept.items(), key=lambda kv: kv[1][1])[-MAX_REMEMBERED:])

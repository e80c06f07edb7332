"""The one access policy: every read or write of protected rows goes through `restrict`.

Deny by default: a model without a rule, a user without an active account, an agency or a
role sees nothing. Superuser flags grant nothing here. Rules are expressed as `Q` filters so
that lists, details, exports and tasks share the same decision.
"""

from collections.abc import Callable

from django.db import models
from django.db.models import Q
from django.http import Http404

from .roles import Role

VIEW, CHANGE, CREATE, DELETE = "view", "change", "create", "delete"
NOTHING = Q(pk__in=[])

CASE_EDITORS = {Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR}
IDENTITY_READERS = {Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR, Role.FOCAL_POINT}
SUSPECT_READERS = {Role.INVESTIGATOR, Role.PROSECUTOR, Role.FOCAL_POINT}


class PolicyDenied(Exception):
    """Raised when a visible object may not be acted upon (HTTP 403)."""


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.agency_id and user.role)


def _case_q(user, action: str, prefix: str = "") -> Q:
    """Cases the user may see (or change), as a filter on `prefix` + Case fields."""
    from crossroads.registry.models import Case

    role = user.role
    if action == VIEW and role == Role.COORDINATOR:
        base = Q()
    elif role == Role.CASE_WORKER and action in {VIEW, CHANGE}:
        assigned = Case.assigned_agencies.through.objects.filter(agency_id=user.agency_id)
        base = Q(owner_agency_id=user.agency_id) | Q(pk__in=assigned.values("case_id"))
    elif (role in {Role.INVESTIGATOR, Role.PROSECUTOR} and action in {VIEW, CHANGE}) or (
        role == Role.FOCAL_POINT and action == VIEW
    ):
        on_team = Case.team.through.objects.filter(user_id=user.pk)
        base = Q(owner_agency_id=user.agency_id) | Q(pk__in=on_team.values("case_id"))
    else:
        return NOTHING
    on_team = Case.team.through.objects.filter(user_id=user.pk).values("case_id")
    restricted = Q(handling_code="H3") & ~Q(pk__in=on_team)
    q = Q(jurisdiction_id=user.jurisdiction_id) & base & ~restricted
    return _prefixed(q, prefix)


def _prefixed(q: Q, prefix: str) -> Q:
    """Re-root a Case filter under a relation (e.g. `case__`)."""
    if not prefix:
        return q
    from crossroads.registry.models import Case

    return Q(**{f"{prefix}in": Case.objects.filter(q).values("pk")})


def _visible_roles(user) -> Q:
    """Involvement roles whose persons the user may know; case workers never see suspects."""
    from crossroads.registry.vocabularies import SUSPECT_ROLES

    if user.role in SUSPECT_READERS:
        return Q()
    if user.role == Role.CASE_WORKER:
        return ~Q(role__in=SUSPECT_ROLES)
    if user.role == Role.COORDINATOR:
        return Q()  # pseudonymous: involvement rows carry a person id, never a name
    return NOTHING


def _case_rule(user, action):
    return _case_q(user, action)


def _involvement_rule(user, action):
    return _case_q(user, action, "case__") & _visible_roles(user)


def _person_rule(user, action):
    if user.role not in IDENTITY_READERS or (action == CHANGE and user.role not in CASE_EDITORS):
        return NOTHING
    from crossroads.registry.models import Involvement

    involvements = Involvement.objects.filter(_involvement_rule(user, action))
    return Q(jurisdiction_id=user.jurisdiction_id) & Q(pk__in=involvements.values("person_id"))


def _exploitation_rule(user, action):
    return _case_q(user, action, "case__")


def _audit_rule(user, action):
    if user.role == Role.OVERSIGHT and action == VIEW:
        return Q(jurisdiction=user.jurisdiction_id)
    return NOTHING


def _account_rule(user, action):
    if user.role == Role.ADMINISTRATOR:
        return Q(agency__jurisdiction_id=user.jurisdiction_id)
    return NOTHING


def _agency_rule(user, action):
    if user.role == Role.ADMINISTRATOR or action == VIEW:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING


def _identity_child_rule(user, action):
    return Q(person__in=_restricted_persons(user, action))


def _restricted_persons(user, action):
    from crossroads.registry.models import Person

    return Person.objects.filter(_person_rule(user, action)).values("pk")


RULES: dict[str, Callable] = {
    "registry.case": _case_rule,
    "registry.involvement": _involvement_rule,
    "registry.person": _person_rule,
    "registry.exploitationrecord": _exploitation_rule,
    "registry.identitydocument": _identity_child_rule,
    "registry.contact": _identity_child_rule,
    "registry.alias": _identity_child_rule,
    "audit.auditentry": _audit_rule,
    "access.user": _account_rule,
    "access.agency": _agency_rule,
}


def restrict(queryset: models.QuerySet, user, action: str) -> models.QuerySet:
    """The rows of `queryset` that `user` may act on with `action` (deny by default)."""
    rule = RULES.get(queryset.model._meta.label_lower)
    if rule is None or not _active(user):
        return queryset.none()
    q = rule(user, action)
    if q is NOTHING:
        return queryset.none()
    return queryset.filter(q)


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        return restrict(self, user, action)


def get_or_404(queryset: models.QuerySet, user, action: str = VIEW, **lookup):
    """The object if the user may see it; 404 otherwise, so its existence is not revealed.

    A refusal is audited as a denied attempt."""
    from crossroads.audit.services import record_denied

    try:
        return restrict(queryset, user, VIEW).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        record_denied(user, queryset.model, lookup, action)
        raise Http404 from None


def require(user, action: str, obj) -> None:
    """Raise PolicyDenied (403) unless `user` may perform `action` on the visible `obj`."""
    from crossroads.audit.services import record_denied

    if not restrict(type(obj).objects.filter(pk=obj.pk), user, action).exists():
        record_denied(user, type(obj), {"pk": obj.pk}, action)
        raise PolicyDenied(action)


def can(user, action: str, obj) -> bool:
    return restrict(type(obj).objects.filter(pk=obj.pk), user, action).exists()


# Capabilities that are not about one existing row.
CAPABILITIES = {
    "register_victim": CASE_EDITORS,
    "add_suspect": {Role.INVESTIGATOR, Role.PROSECUTOR},
    "search_persons": IDENTITY_READERS,
    "manage_accounts": {Role.ADMINISTRATOR},
    "view_audit": {Role.OVERSIGHT},
    "view_cases": CASE_EDITORS | {Role.FOCAL_POINT, Role.COORDINATOR},
}


def may(user, capability: str) -> bool:
    return _active(user) and user.role in CAPABILITIES.get(capability, ())


def require_capability(user, capability: str) -> None:
    from crossroads.audit.services import record_denied

    if not may(user, capability):
        record_denied(user, None, {"capability": capability}, capability)
        raise PolicyDenied(capability)

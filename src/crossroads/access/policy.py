"""The one access policy: every read or write of protected rows goes through `restrict`.

Deny by default: a model without a rule, a user without an active account, an agency or a
role sees nothing. Superuser flags grant nothing here. Rules are expressed as `Q` filters so
that lists, details, exports and tasks share the same decision.
"""

from collections.abc import Callable

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from crossroads.assistance.rules import CAPABILITIES as ASSISTANCE_CAPABILITIES
from crossroads.assistance.rules import RULES as ASSISTANCE_RULES
from crossroads.statistics.access_rules import (
    RELEASE_PREPARERS,
    RELEASE_READERS,
    STATISTICS_READERS,
    budget_change_rule,
    budget_rule,
    ledger_entry_rule,
    release_rule,
    summary_rule,
)

from .roles import Role

VIEW, CHANGE = "view", "change"
# Rows that may be counted in a statistic and never listed (statistics/indicators.py only).
COUNT = "count"
NOTHING = Q(pk__in=[])

CASE_EDITORS = {Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR}
IDENTITY_READERS = {Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR, Role.FOCAL_POINT}
SUSPECT_READERS = {Role.INVESTIGATOR, Role.PROSECUTOR, Role.FOCAL_POINT}
# Break-glass: these roles may open one case of their jurisdiction for a few hours by stating a
# purpose (crossroads/access/break_glass.py). A grant gives VIEW only, never CHANGE, and never
# opens a restricted (H3) case: those stay with their team whatever anyone states.
BREAK_GLASS_ROLES = {Role.OVERSIGHT, Role.COORDINATOR}
BREAK_GLASS_CLOSED_HANDLING = {"H3"}


class PolicyDenied(Exception):
    """Raised when a visible object may not be acted upon (HTTP 403)."""


def _active(user) -> bool:
    """An active account with a role, in an active agency (a deactivated agency's users,
    however they authenticated, reach nothing)."""
    return bool(user and user.is_authenticated and user.is_active and user.agency_id and user.role
                and user.agency.active)


def _either(a: Q, b: Q) -> Q:
    """`a | b`, keeping NOTHING recognisable so that `restrict` can skip the query."""
    if a is NOTHING:
        return b
    if b is NOTHING:
        return a
    return a | b


def _case_q(user, action: str, prefix: str = "") -> Q:
    """Cases the user may see (or change): the role's rule, plus active break-glass grants."""
    return _either(_role_case_q(user, action, prefix), _granted_q(user, action, prefix))


def _role_case_q(user, action: str, prefix: str = "") -> Q:
    """Cases the user's role lets them see (or change), as a filter on `prefix` + Case fields."""
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


def unrestricted_cases_jurisdiction(user) -> str | None:
    """The jurisdiction whose unrestricted (not H3) cases are exactly the cases `user` may VIEW,
    or None when the user's view is any other set.

    The dashboards' maintained summary counts the unrestricted cases of each jurisdiction; a
    user whose view is exactly those (a coordinator on no restricted team: break-glass grants
    open nothing beyond them) may read it, anyone else is counted live through `restrict`.
    Tests compare this answer with `restrict` for every role."""
    from crossroads.registry.models import Case

    if not _active(user) or user.role != Role.COORDINATOR:
        return None
    on_restricted_team = Case.objects.filter(
        jurisdiction_id=user.jurisdiction_id, handling_code="H3", team=user).exists()
    return None if on_restricted_team else user.jurisdiction_id


def _active_grants(user):
    """The user's grants that open a case now: unexpired, not revoked, for a role that may hold
    them, on a case of the user's jurisdiction that is not restricted to its team."""
    from crossroads.access.models import BreakGlassGrant

    if not _active(user) or user.role not in BREAK_GLASS_ROLES:
        return BreakGlassGrant.objects.none()
    return (BreakGlassGrant.objects.active().filter(user_id=user.pk)
            .filter(case__jurisdiction_id=user.jurisdiction_id)
            .exclude(case__handling_code__in=BREAK_GLASS_CLOSED_HANDLING))


def _granted_q(user, action: str, prefix: str = "") -> Q:
    """Cases opened to the user by break-glass (VIEW only), as a filter on `prefix` + Case."""
    if action != VIEW or user.role not in BREAK_GLASS_ROLES:
        return NOTHING
    return Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}in":
                _active_grants(user).values("case_id")})


def _prefixed(q: Q, prefix: str) -> Q:
    """Re-root a Case filter under a relation (`jurisdiction_id` becomes `case__jurisdiction_id`):
    joins, not a sub-select of every visible case, so the database narrows by the outer filter
    first."""
    if not prefix:
        return q
    rerooted = Q()
    rerooted.connector, rerooted.negated = q.connector, q.negated
    rerooted.children = [_prefixed(child, prefix) if isinstance(child, Q)
                         else (prefix + child[0], child[1]) for child in q.children]
    return rerooted


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
    by_role = _role_case_q(user, action, "case__")
    if by_role is not NOTHING:
        by_role = by_role & _visible_roles(user)
    # Under break-glass every involvement of the case, suspects included.
    return _either(by_role, _granted_q(user, action, "case__"))


def _person_rule(user, action, correlated: bool = False):
    """Persons with an involvement the user may see. `correlated` asks the database, person by
    person, whether such an involvement exists: faster when the rows are already narrowed (a
    search), slower for a whole list, and the same answer (tests compare both)."""
    from crossroads.registry.models import Involvement

    def having(involvement_q: Q) -> Q:
        involvements = Involvement.objects.filter(involvement_q)
        if correlated:
            return Q(Exists(involvements.filter(person_id=OuterRef("pk"))))
        return Q(pk__in=involvements.values("person_id"))

    by_role = NOTHING
    if user.role in IDENTITY_READERS and (action != CHANGE or user.role in CASE_EDITORS):
        by_role = Q(jurisdiction_id=user.jurisdiction_id) & having(_involvement_rule(user, action))
    granted = _granted_q(user, action, "case__")
    if granted is not NOTHING:
        granted = Q(jurisdiction_id=user.jurisdiction_id) & having(granted)
    return _either(by_role, granted)


def _exploitation_rule(user, action):
    if action == COUNT:
        # The regional reference of the risk indicators: the records of every jurisdiction
        # the node holds, counted only, suppressed, never restricted (H3) ones.
        return _unrestricted_records_q() if user.role in CAPABILITIES["view_statistics"] \
            else NOTHING
    return _case_q(user, action, "case__")


def _unrestricted_records_q() -> Q:
    from crossroads.registry.models import Case

    return ~Q(case_id__in=Case.objects.filter(handling_code="H3").values("pk"))


def unrestricted_records():
    """Every exploitation record outside a restricted (H3) case: the COUNT scope, which the
    dashboards' summary task (acting for no user) counts per jurisdiction."""
    from crossroads.registry.models import ExploitationRecord

    return ExploitationRecord.objects.filter(_unrestricted_records_q())


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


def _break_glass_rule(user, action):
    """Grants are seen by their holder, by the case's owner agency (among the cases its role
    lets it see) and by oversight of the jurisdiction. They change only through the service."""
    from crossroads.registry.models import Case

    if action != VIEW:
        return NOTHING
    q = Q(user_id=user.pk)
    if user.role == Role.OVERSIGHT:
        q |= Q(case__jurisdiction_id=user.jurisdiction_id)
    owned = _role_case_q(user, VIEW)
    if owned is not NOTHING:
        q |= Q(case__in=Case.objects.filter(owned, owner_agency_id=user.agency_id).values("pk"))
    return q


def _approval_rule(user, action):
    if user.role == Role.ADMINISTRATOR:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING


def _identity_child_rule(user, action):
    return Q(person__in=_restricted_persons(user, action))


def _restricted_persons(user, action):
    from crossroads.registry.models import Person

    return Person.objects.filter(_person_rule(user, action)).values("pk")


def _pair_rule(prefix_a: str, prefix_b: str):
    """Duplicate candidates and merges: only to users who may see (or change) both persons."""

    def rule(user, action):
        # Identity readers see a pair when they may see both persons; reviewers decide on it
        # when they may change both.
        allowed = IDENTITY_READERS if action == VIEW else CAPABILITIES["review_duplicates"]
        if user.role not in allowed:
            return NOTHING
        persons = _restricted_persons(user, action)
        return Q(**{f"{prefix_a}__in": persons}) & Q(**{f"{prefix_b}__in": persons})

    return rule


def _dedupe_run_rule(user, action):
    if action == VIEW and user.role in CAPABILITIES["rerun_dedupe"]:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING


def _regional_release_rule(user, action):
    """Released aggregates on the hub: every jurisdiction's, to regional analysts, read only."""
    return Q() if action == VIEW and user.role in CAPABILITIES["view_regional_statistics"] \
        else NOTHING


def _exchange_rule(user, action, jurisdiction_field: str):
    """Hits and formal requests: the focal points of the jurisdiction (they change them only
    through the exchange services)."""
    if user.role in CAPABILITIES["exchange"]:
        return Q(**{jurisdiction_field: user.jurisdiction_id})
    return NOTHING


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
    "access.breakglassgrant": _break_glass_rule,
    "access.approvalrequest": _approval_rule,
    "linkage.matchcandidate": _pair_rule("person_a", "person_b"),
    "linkage.personmerge": _pair_rule("survivor", "merged"),
    "linkage.deduperun": _dedupe_run_rule,
    **ASSISTANCE_RULES,
    "statistics.release": release_rule,
    "statistics.privacybudget": budget_rule,
    "statistics.budgetchange": budget_change_rule,
    "statistics.privacyledgerentry": ledger_entry_rule,
    "statistics.summarycount": summary_rule,
    "regional.regionalrelease": _regional_release_rule,
    "exchange.hit": lambda user, action: _exchange_rule(user, action, "reference__jurisdiction_id"),
    "exchange.exchangerequest": lambda user, action: _exchange_rule(user, action, "jurisdiction_id"),
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


def restrict_narrowed(queryset: models.QuerySet, user, action: str) -> models.QuerySet:
    """`restrict` for a queryset already narrowed to few rows (a search by name, date of
    birth or document): the same decision, checked row by row instead of by set."""
    if queryset.model._meta.label_lower != "registry.person" or not _active(user):
        return restrict(queryset, user, action)
    q = _person_rule(user, action, correlated=True)
    return queryset.none() if q is NOTHING else queryset.filter(q)


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


def break_glass_openable(user):
    """Cases the user may open by break-glass: any of the jurisdiction but restricted ones."""
    from crossroads.registry.models import Case

    if not _active(user) or user.role not in BREAK_GLASS_ROLES:
        return Case.objects.none()
    return (Case.objects.filter(jurisdiction_id=user.jurisdiction_id)
            .exclude(handling_code__in=BREAK_GLASS_CLOSED_HANDLING))


def break_glass_grant(user, case):
    """The user's active grant on `case` (the latest), or None."""
    return _active_grants(user).filter(case_id=case.pk).order_by("-expires_at").first()


def break_glass_grant_ids(user, objects) -> list[int]:
    """The active grants under which `user` reads these cases and persons (for the audit)."""
    if not _active(user) or user.role not in BREAK_GLASS_ROLES:
        return []
    case_ids = [o.pk for o in objects if o._meta.label_lower == "registry.case"]
    person_ids = [o.pk for o in objects if o._meta.label_lower == "registry.person"]
    if not case_ids and not person_ids:
        return []
    grants = _active_grants(user).filter(
        Q(case_id__in=case_ids) | Q(case__involvements__person_id__in=person_ids))
    return sorted(set(grants.values_list("pk", flat=True)))


def shows_identity(user, case) -> bool:
    """Whether the case's persons are shown by name (and its summary) to the user."""
    return _active(user) and (user.role in IDENTITY_READERS or break_glass_grant(user, case) is not None)


# Capabilities that are not about one existing row.
CAPABILITIES = {
    "register_victim": CASE_EDITORS,
    "add_suspect": {Role.INVESTIGATOR, Role.PROSECUTOR},
    "search_persons": IDENTITY_READERS,
    "manage_accounts": {Role.ADMINISTRATOR},
    "view_audit": {Role.OVERSIGHT},
    "view_cases": CASE_EDITORS | {Role.FOCAL_POINT, Role.COORDINATOR},
    "break_glass": BREAK_GLASS_ROLES,
    # Confirm or reject possible duplicates (only pairs whose two persons the user may see).
    "review_duplicates": CASE_EDITORS,
    # Start the whole-node deduplication (it stores candidates; it shows no identity).
    "rerun_dedupe": {Role.COORDINATOR, Role.INVESTIGATOR},
    **ASSISTANCE_CAPABILITIES,
    # Live dashboards of the jurisdiction's exploitation records (suppressed aggregates only).
    "view_statistics": STATISTICS_READERS,
    # Releases (statistics/release_workflow.py): coordinators prepare them and a second
    # coordinator approves each; analysts see the approved ones only.
    "prepare_release": RELEASE_PREPARERS,
    "approve_release": RELEASE_PREPARERS,
    "view_releases": RELEASE_PREPARERS | RELEASE_READERS,
    # The hub's regional dashboard of released aggregates (no microdata, no identities).
    "view_regional_statistics": {Role.ANALYST},
    # See hits, send and answer cross-border requests (crossroads.exchange).
    "exchange": {Role.FOCAL_POINT},
}


def may(user, capability: str) -> bool:
    return _active(user) and user.role in CAPABILITIES.get(capability, ())


def require_capability(user, capability: str) -> None:
    from crossroads.audit.services import record_denied

    if not may(user, capability):
        record_denied(user, None, {"capability": capability}, capability)
        raise PolicyDenied(capability)

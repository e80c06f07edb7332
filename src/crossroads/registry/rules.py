"""Access rules of the register: cases, persons, involvements, exploitation records, the
identity children of a person, and break-glass (which opens cases).

Every rule is limited to the user's own jurisdiction; a case with handling code H3 is visible
to its team only, whatever the role; coordinators see cases pseudonymously (person numbers,
never names: `shows_identity` is the one presenter rule the pages and the API use).
"""

from django.db.models import Exists, OuterRef, Q

from crossroads.access.actions import CHANGE, COUNT, NOTHING, VIEW, active, either, prefixed
from crossroads.access.choices import Role
from crossroads.access.models import BreakGlassGrant
from crossroads.access.rulebook import capability, rule

from .choices import RESTRICTED_HANDLING, SUSPECT_ROLES
from .models import Case, ExploitationRecord, Involvement, Person

CASE_EDITORS = frozenset({Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR})
IDENTITY_READERS = frozenset({*CASE_EDITORS, Role.FOCAL_POINT})
SUSPECT_READERS = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR, Role.FOCAL_POINT})
# Break-glass: these roles may open one case of their jurisdiction for a few hours by stating a
# purpose (crossroads/registry/break_glass.py). A grant gives VIEW only, never CHANGE, and never
# opens a restricted (H3) case: those stay with their team whatever anyone states.
BREAK_GLASS_ROLES = frozenset({Role.OVERSIGHT, Role.COORDINATOR})

REGISTER_VICTIM = capability("register_victim", CASE_EDITORS,
                             "case workers, investigators, prosecutors: register victims")
ADD_SUSPECT = capability("add_suspect", {Role.INVESTIGATOR, Role.PROSECUTOR},
                         "investigators, prosecutors: add suspects to a case")
SEARCH_PERSONS = capability("search_persons", IDENTITY_READERS,
                            "case workers, investigators, prosecutors, focal points: name search")
VIEW_CASES = capability("view_cases", CASE_EDITORS | {Role.FOCAL_POINT, Role.COORDINATOR},
                        "everyone who works cases, and coordinators: the case list")
RECORD_VULNERABILITY = capability(
    "record_vulnerability", CASE_EDITORS,
    "case workers, investigators, prosecutors: a person's vulnerable group, with its legal basis")
BREAK_GLASS = capability("break_glass", BREAK_GLASS_ROLES,
                         "oversight, coordinators: open one case for 1–24 h with a purpose")


def _team_cases(user):
    return Case.team.through.objects.filter(user_id=user.pk).values("case_id")


def role_case_q(user, action: str, prefix: str = "") -> Q:
    """Cases the user's role lets them see (or change), as a filter on `prefix` + Case fields."""
    role = user.role
    if action == VIEW and role == Role.COORDINATOR:
        base = Q()
    elif role == Role.CASE_WORKER and action in {VIEW, CHANGE}:
        assigned = Case.assigned_agencies.through.objects.filter(agency_id=user.agency_id)
        base = (Q(owner_agency_id=user.agency_id) | Q(pk__in=assigned.values("case_id"))
                | Q(pk__in=_team_cases(user)))
    elif (role in {Role.INVESTIGATOR, Role.PROSECUTOR} and action in {VIEW, CHANGE}) or (
        role == Role.FOCAL_POINT and action == VIEW
    ):
        base = Q(owner_agency_id=user.agency_id) | Q(pk__in=_team_cases(user))
    else:
        return NOTHING
    restricted = Q(handling_code__in=RESTRICTED_HANDLING) & ~Q(pk__in=_team_cases(user))
    return prefixed(Q(jurisdiction_id=user.jurisdiction_id) & base & ~restricted, prefix)


def active_grants(user):
    """The user's grants that open a case now: unexpired, not revoked, for a role that may hold
    them, on a case of the user's jurisdiction that is not restricted to its team."""
    if not active(user) or user.role not in BREAK_GLASS_ROLES:
        return BreakGlassGrant.objects.none()
    return (BreakGlassGrant.objects.active().filter(user_id=user.pk)
            .filter(case__jurisdiction_id=user.jurisdiction_id)
            .exclude(case__handling_code__in=RESTRICTED_HANDLING))


def granted_q(user, action: str, prefix: str = "") -> Q:
    """Cases opened to the user by break-glass (VIEW only), as a filter on `prefix` + Case."""
    if action != VIEW or user.role not in BREAK_GLASS_ROLES:
        return NOTHING
    return Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}in":
                active_grants(user).values("case_id")})


def case_q(user, action: str, prefix: str = "") -> Q:
    """Cases the user may see (or change): the role's rule, plus active break-glass grants."""
    return either(role_case_q(user, action, prefix), granted_q(user, action, prefix))


@rule("registry.case",
      view="case workers: cases owned by or assigned to their agency; investigators, "
           "prosecutors, focal points: cases of their agency or team; coordinators: every case; "
           "break-glass holders: the granted case; H3 cases: their team only",
      change="case workers, investigators, prosecutors: the cases they see by role (never by "
             "break-glass)")
def case_rule(user, action):
    return case_q(user, action)


def _visible_roles(user) -> Q:
    """Involvement roles whose persons the user may know; case workers never see suspects."""
    if user.role in SUSPECT_READERS:
        return Q()
    if user.role == Role.CASE_WORKER:
        return ~Q(role__in=SUSPECT_ROLES)
    if user.role == Role.COORDINATOR:
        return Q()  # pseudonymous: involvement rows carry a person id, never a name
    return NOTHING


@rule("registry.involvement",
      view="as the case, but case workers never see suspects; coordinators see person numbers",
      change="as the case, but case workers never change a suspect's involvement")
def involvement_rule(user, action):
    by_role = role_case_q(user, action, "case__")
    if by_role is not NOTHING:
        by_role = by_role & _visible_roles(user)
    # Under break-glass every involvement of the case, suspects included.
    return either(by_role, granted_q(user, action, "case__"))


def _person_q(user, action, correlated: bool = False) -> Q:
    """Persons with an involvement the user may see. `correlated` asks the database, person by
    person, whether such an involvement exists: faster when the rows are already narrowed (a
    search), slower for a whole list, and the same answer (tests compare both)."""

    def having(involvement_q: Q) -> Q:
        involvements = Involvement.objects.filter(involvement_q)
        if correlated:
            return Q(Exists(involvements.filter(person_id=OuterRef("pk"))))
        return Q(pk__in=involvements.values("person_id"))

    by_role = NOTHING
    if user.role in IDENTITY_READERS and (action != CHANGE or user.role in CASE_EDITORS):
        by_role = Q(jurisdiction_id=user.jurisdiction_id) & having(involvement_rule(user, action))
    granted = granted_q(user, action, "case__")
    if granted is not NOTHING:
        granted = Q(jurisdiction_id=user.jurisdiction_id) & having(granted)
    return either(by_role, granted)


@rule("registry.person",
      narrowed=lambda user, action: _person_q(user, action, correlated=True),
      view="case workers, investigators, prosecutors, focal points: persons with an involvement "
           "they see; break-glass holders: the persons of the granted case; nobody else "
           "(coordinators see person numbers only)",
      change="case workers, investigators, prosecutors: persons with an involvement they change")
def person_rule(user, action):
    return _person_q(user, action)


def _unrestricted_records_q() -> Q:
    return ~Q(case_id__in=Case.objects.filter(handling_code__in=RESTRICTED_HANDLING).values("pk"))


@rule("registry.exploitationrecord",
      view="as the case", change="as the case",
      count="coordinators: every record outside H3 cases of every jurisdiction the node holds "
            "(counted and suppressed, never listed)")
def exploitation_rule(user, action):
    if action == COUNT:
        # The regional reference of the risk indicators: the records of every jurisdiction
        # the node holds, counted only, suppressed, never restricted (H3) ones.
        return _unrestricted_records_q() if user.role == Role.COORDINATOR else NOTHING
    return case_q(user, action, "case__")


def restricted_persons(user, action):
    return Person.objects.filter(_person_q(user, action)).values("pk")


def _identity_child_rule(user, action):
    return Q(person__in=restricted_persons(user, action))


for _label in ("registry.identitydocument", "registry.contact", "registry.alias"):
    rule(_label, view="as the person", change="as the person")(_identity_child_rule)


@rule("registry.vulnerabilityrecord",
      view="case workers, investigators, prosecutors: as the person (coordinators and analysts "
           "only count it, in suppressed aggregates)",
      change="case workers, investigators, prosecutors: as the person")
def vulnerability_rule(user, action):
    if user.role not in CASE_EDITORS:
        return NOTHING
    return _identity_child_rule(user, action)


@rule("access.breakglassgrant",
      view="the holder; the case's owner agency (among the cases its role lets it see); "
           "oversight of the jurisdiction. Grants change only through the break-glass service")
def break_glass_rule(user, action):
    if action != VIEW:
        return NOTHING
    q = Q(user_id=user.pk)
    if user.role == Role.OVERSIGHT:
        q |= Q(case__jurisdiction_id=user.jurisdiction_id)
    owned = role_case_q(user, VIEW)
    if owned is not NOTHING:
        q |= Q(case__in=Case.objects.filter(owned, owner_agency_id=user.agency_id).values("pk"))
    return q


def unrestricted_records():
    """Every exploitation record outside a restricted (H3) case: the COUNT scope, which the
    dashboards' summary task (acting for no user) counts per jurisdiction."""
    return ExploitationRecord.objects.filter(_unrestricted_records_q())


def unrestricted_cases_jurisdiction(user) -> str | None:
    """The jurisdiction whose unrestricted (not H3) cases are exactly the cases `user` may VIEW,
    or None when the user's view is any other set.

    The dashboards' maintained summary counts the unrestricted cases of each jurisdiction; a
    user whose view is exactly those (a coordinator on no restricted team: break-glass grants
    open nothing beyond them) may read it, anyone else is counted live through `restrict`.
    Tests compare this answer with `restrict` for every role."""
    if not active(user) or user.role != Role.COORDINATOR:
        return None
    on_restricted_team = Case.objects.filter(
        jurisdiction_id=user.jurisdiction_id, handling_code__in=RESTRICTED_HANDLING,
        team=user).exists()
    return None if on_restricted_team else user.jurisdiction_id


def break_glass_openable(user):
    """Cases the user may open by break-glass: any of the jurisdiction but restricted ones."""
    if not active(user) or user.role not in BREAK_GLASS_ROLES:
        return Case.objects.none()
    return (Case.objects.filter(jurisdiction_id=user.jurisdiction_id)
            .exclude(handling_code__in=RESTRICTED_HANDLING))


def break_glass_grant(user, case):
    """The user's active grant on `case` (the latest), or None."""
    return active_grants(user).filter(case_id=case.pk).order_by("-expires_at").first()


def break_glass_grant_ids(user, objects) -> list[int]:
    """The active grants under which `user` reads these cases and persons (for the audit)."""
    if not active(user) or user.role not in BREAK_GLASS_ROLES:
        return []
    case_ids = [o.pk for o in objects if o._meta.label_lower == "registry.case"]
    person_ids = [o.pk for o in objects if o._meta.label_lower == "registry.person"]
    if not case_ids and not person_ids:
        return []
    grants = active_grants(user).filter(
        Q(case_id__in=case_ids) | Q(case__involvements__person_id__in=person_ids))
    return sorted(set(grants.values_list("pk", flat=True)))


def granted_case_ids(user) -> set[int]:
    """The cases the user opens now under a break-glass grant (one query for a whole list)."""
    return set(active_grants(user).values_list("case_id", flat=True)) if active(user) else set()


def shows_identity(user, case, granted: set[int] | None = None) -> bool:
    """The one pseudonymity presenter rule: whether the case's persons are shown by name (and
    its summary) to the user. Pages and the API both ask it; a list passes `granted`
    (`granted_case_ids`) instead of one grant query per row."""
    if not active(user):
        return False
    if user.role in IDENTITY_READERS:
        return True
    return case.pk in granted if granted is not None else break_glass_grant(user, case) is not None


def moves_case_status(user, case) -> bool:
    """Who moves a case they may change along its statuses: investigators and prosecutors,
    and a case worker only in a case their own agency owns. An agency given access by an
    accepted referral (a shelter) assists the victims; it does not run the case."""
    if user.role in {Role.INVESTIGATOR, Role.PROSECUTOR}:
        return True
    return user.role == Role.CASE_WORKER and case.owner_agency_id == user.agency_id

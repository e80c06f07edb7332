"""Access rules for the assistance models, registered in `crossroads.access.policy.RULES`.

Assistance data is victim data. Who sees what:
- identification (files, screenings, decisions), protection timers, consents, re-trafficking
  flags: case workers, investigators and prosecutors, on the cases their role lets them see
  (an investigator needs the status for the criminal procedure and the residence permit);
- the care record (services, milestones, shelter stays): case workers only — health,
  psychological and family details are no one else's business;
- referrals: the sending and the receiving agency (case workers, investigators, prosecutors);
  coordinators see every referral of their jurisdiction pseudonymously (case reference and
  agencies, never a name);
- shelters and their occupancy counts: everyone of the jurisdiction who works cases and the
  coordinators (counts, never who stays); admissions only by the shelter's own case workers;
- a re-trafficking flag names an earlier case and person: it is seen (VIEW) only by those who
  may see the new case, the earlier file's case and both persons. Anyone else who may see the
  new case learns nothing (a registration is never an existence oracle); instead the flag is
  routed as a notice (NOTICE) to those who may see the earlier case — its team and agency, and
  the coordinators unless it is restricted (H3) — when the earlier case is the older one and
  the new case is not restricted (an H3 case is never revealed outside its team).
Focal points, analysts, oversight and administrators see none of it; break-glass opens cases,
not the care record.
"""

from django.db.models import F, Q

from crossroads.access.roles import Role

NOTHING = Q(pk__in=[])
# The action under which a re-trafficking flag reaches those who may see its earlier case only.
NOTICE = "notice"
ASSISTANCE_READERS = {Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR}
ASSISTANCE_EDITORS = {Role.CASE_WORKER, Role.INVESTIGATOR}
CARE_ROLES = {Role.CASE_WORKER}
SHELTER_VIEWERS = ASSISTANCE_READERS | {Role.COORDINATOR}


def _cases(user, action):
    from crossroads.access.policy import restrict
    from crossroads.registry.models import Case

    return restrict(Case.objects.all(), user, action).values("pk")


def _file_q(user, action, prefix: str, roles) -> Q:
    editors = roles if action == "view" else roles & ASSISTANCE_EDITORS
    if user.role not in editors:
        return NOTHING
    return Q(**{f"{prefix}case__in": _cases(user, action)})


def file_rule(user, action):
    return _file_q(user, action, "", ASSISTANCE_READERS)


def identification_rule(user, action):
    return _file_q(user, action, "file__", ASSISTANCE_READERS)


def care_rule(user, action):
    return _file_q(user, action, "file__", CARE_ROLES)


def reminder_rule(user, action):
    return _file_q(user, action, "timer__file__", ASSISTANCE_READERS)


def _persons(user):
    from crossroads.access.policy import restrict
    from crossroads.registry.models import Person

    return restrict(Person.objects.all(), user, "view").values("pk")


def _full_flag_q(user) -> Q:
    """Flags whose every part the user may see: both cases, both persons."""
    if user.role not in ASSISTANCE_READERS:
        return NOTHING
    cases, persons = _cases(user, "view"), _persons(user)
    return (Q(file_case__in=cases) & Q(earlier_file__case__in=cases)
            & Q(person__in=persons) & Q(earlier_file__person__in=persons))


def _notice_q(user) -> Q:
    """Flags routed to the user: the earlier case is one they may see (its team and agency;
    coordinators: every unrestricted case and the restricted ones of their teams), the earlier
    case is the older one (a registration cannot probe older records in reverse), the new case
    is not restricted, and the user may not see the flag itself."""
    from .models import RetraffickingFlag

    if user.role not in SHELTER_VIEWERS:
        return NOTHING
    q = (Q(earlier_file__case__in=_cases(user, "view"))
         & Q(earlier_file__case_id__lt=F("file_case_id")) & ~Q(file_case__handling_code="H3"))
    full = _full_flag_q(user)
    if full is not NOTHING:
        q &= ~Q(pk__in=RetraffickingFlag.objects.filter(full).values("pk"))
    return q


def flag_rule(user, action):
    if action == "view":
        return _full_flag_q(user)
    if action == NOTICE:
        return _notice_q(user)
    return NOTHING


def consent_rule(user, action):
    from crossroads.access.policy import restrict
    from crossroads.registry.models import Person

    roles = ASSISTANCE_READERS if action == "view" else ASSISTANCE_EDITORS
    if user.role not in roles:
        return NOTHING
    return Q(person__in=restrict(Person.objects.all(), user, action).values("pk"))


def referral_rule(user, action):
    in_jurisdiction = Q(case__jurisdiction_id=user.jurisdiction_id)
    if user.role == Role.COORDINATOR and action == "view":
        return in_jurisdiction
    if user.role not in ASSISTANCE_READERS or (
            action != "view" and user.role not in ASSISTANCE_EDITORS):
        return NOTHING
    return in_jurisdiction & (Q(from_agency_id=user.agency_id) | Q(to_agency_id=user.agency_id))


def shelter_rule(user, action):
    q = Q(agency__jurisdiction_id=user.jurisdiction_id)
    if action == "view":
        return q if user.role in SHELTER_VIEWERS else NOTHING
    return q & Q(agency_id=user.agency_id) if user.role in CARE_ROLES else NOTHING


RULES = {
    "assistance.victimfile": file_rule,
    "assistance.screening": identification_rule,
    "assistance.statusdecision": identification_rule,
    "assistance.protectiontimer": identification_rule,
    "assistance.reminder": reminder_rule,
    "assistance.consent": consent_rule,
    "assistance.consentoverride": consent_rule,
    "assistance.referral": referral_rule,
    "assistance.service": care_rule,
    "assistance.milestone": care_rule,
    "assistance.shelter": shelter_rule,
    "assistance.shelterstay": care_rule,
    "assistance.retraffickingflag": flag_rule,
}

CAPABILITIES = {
    # Open the referral mechanism's pages (identification, referrals, timers).
    "assist_victims": ASSISTANCE_READERS,
    # The referrals page: those sent and received by the agency (coordinators: all, no names).
    "view_referrals": SHELTER_VIEWERS,
    # The coordinators' capacity page: beds free and full, per shelter (counts only).
    "view_shelter_capacity": SHELTER_VIEWERS,
    # Keep the register of the agency's own shelters (name, places, children, open or closed).
    "manage_shelters": CARE_ROLES,
    # Set the jurisdiction's protection timers.
    "configure_protection": {Role.COORDINATOR},
}

"""Access rules of the assistance models (registered in `crossroads.access.rulebook`).

Assistance data is victim data. Who sees what:
- identification (files, screenings, decisions, contact notes), protection timers, consents,
  re-trafficking flags: case workers, investigators and prosecutors, on the cases their role
  lets them see (an investigator needs the status for the criminal procedure and the residence
  permit);
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
- residence permits (applications and decisions): as identification, since the
  investigator's proceedings and the permit depend on each other;
- best-interests assessments of a child: the child-protection workers (case workers) on the
  cases they see, and the investigators and prosecutors on the case's team (read only);
  only case workers record them.
Focal points, analysts, oversight and administrators see none of it; break-glass opens cases,
not the care record.
"""

from django.db.models import F, Q

from crossroads.access.actions import NOTHING, NOTICE, VIEW
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind
from crossroads.registry.choices import RESTRICTED_HANDLING
from crossroads.registry.rules import case_q, restricted_persons

ASSISTANCE_READERS = frozenset({Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR})
ASSISTANCE_EDITORS = frozenset({Role.CASE_WORKER, Role.INVESTIGATOR})
CARE_ROLES = frozenset({Role.CASE_WORKER})
SHELTER_VIEWERS = ASSISTANCE_READERS | {Role.COORDINATOR}

# The node-wide reminder run (assistance/tasks.py), queued by cron: no page shows it.
kind("reminders", noun="reminder run")

# Open the referral mechanism's pages (identification, referrals, timers).
ASSIST_VICTIMS = capability("assist_victims", ASSISTANCE_READERS,
                            "case workers, investigators, prosecutors: the referral mechanism")
# Change identification, consent and referrals (prosecutors read them only).
EDIT_ASSISTANCE = capability("edit_assistance", ASSISTANCE_EDITORS,
                             "case workers, investigators: identification, consent, referrals")
# The care record: services, milestones, shelter stays.
KEEP_CARE_RECORD = capability("keep_care_record", CARE_ROLES,
                              "case workers: services, milestones, shelter stays")
# The referrals page: those sent and received by the agency (coordinators: all, no names).
VIEW_REFERRALS = capability("view_referrals", SHELTER_VIEWERS,
                            "assistance readers and coordinators (no names): referrals")
# The coordinators' capacity page: beds free and full, per shelter (counts only).
VIEW_SHELTER_CAPACITY = capability("view_shelter_capacity", SHELTER_VIEWERS,
                                   "assistance readers and coordinators: beds free and full")
# Keep the register of the agency's own shelters (name, places, children, open or closed).
MANAGE_SHELTERS = capability("manage_shelters", CARE_ROLES,
                             "case workers: the register of their agency's shelters")
# Record a child's best-interests assessment (child protection: social services, NGOs).
ASSESS_BEST_INTERESTS = capability("assess_best_interests", CARE_ROLES,
                                   "case workers: a child victim's best-interests assessment")
# Set the jurisdiction's protection timers.
CONFIGURE_PROTECTION = capability("configure_protection", {Role.COORDINATOR},
                                  "coordinators: the jurisdiction's protection timers")
# Follow them: the due and overdue timers of the cases they may see, by case (no person).
OVERSEE_TIMERS = capability("oversee_timers", {Role.COORDINATOR},
                            "coordinators: due and overdue protection timers by case, no person")


def _cases(user, action):
    from crossroads.registry.models import Case

    return Case.objects.filter(case_q(user, action)).values("pk")


def _file_q(user, action, prefix: str, roles) -> Q:
    editors = roles if action == VIEW else roles & ASSISTANCE_EDITORS
    if user.role not in editors:
        return NOTHING
    return Q(**{f"{prefix}case__in": _cases(user, action)})


_AS_CASE = {"view": "case workers, investigators, prosecutors: on the cases they see",
            "change": "case workers, investigators: on the cases they change"}
_CARE = {"view": "case workers: on the cases they see", "change": "case workers: on the cases they change"}


@rule("assistance.victimfile", **_AS_CASE)
def file_rule(user, action):
    return _file_q(user, action, "", ASSISTANCE_READERS)


@rule("assistance.screening", **_AS_CASE)
@rule("assistance.contactnote", **_AS_CASE)
@rule("assistance.statusdecision", **_AS_CASE)
@rule("assistance.protectiontimer", **_AS_CASE)
@rule("assistance.residencepermit", **_AS_CASE)
def identification_rule(user, action):
    return _file_q(user, action, "file__", ASSISTANCE_READERS)


@rule("assistance.service", **_CARE)
@rule("assistance.milestone", **_CARE)
@rule("assistance.shelterstay", **_CARE)
def care_rule(user, action):
    return _file_q(user, action, "file__", CARE_ROLES)


@rule("assistance.bestinterestsassessment",
      view="case workers: on the cases they see; investigators, prosecutors: on the cases "
           "whose team they are on",
      change="case workers: on the cases they change")
def best_interests_rule(user, action):
    from crossroads.registry.models import Case

    if user.role in CARE_ROLES:
        return Q(file__case__in=_cases(user, action))
    if action == VIEW and user.role in ASSISTANCE_READERS:
        on_team = Case.team.through.objects.filter(user_id=user.pk).values("case_id")
        return Q(file__case__in=_cases(user, action)) & Q(file__case__in=on_team)
    return NOTHING


@rule("assistance.reminder", **_AS_CASE)
def reminder_rule(user, action):
    return _file_q(user, action, "timer__file__", ASSISTANCE_READERS)


def _full_flag_q(user) -> Q:
    """Flags whose every part the user may see: both cases, both persons."""
    if user.role not in ASSISTANCE_READERS:
        return NOTHING
    cases, persons = _cases(user, VIEW), restricted_persons(user, VIEW)
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
    q = (Q(earlier_file__case__in=_cases(user, VIEW))
         & Q(earlier_file__case_id__lt=F("file_case_id"))
         & ~Q(file_case__handling_code__in=RESTRICTED_HANDLING))
    full = _full_flag_q(user)
    if full is not NOTHING:
        q &= ~Q(pk__in=RetraffickingFlag.objects.filter(full).values("pk"))
    return q


@rule("assistance.retraffickingflag",
      view="case workers, investigators, prosecutors who may see both cases and both persons",
      notice="those who may see the earlier (older) case: its team and agency, and the "
             "coordinators unless it is H3; never when the new case is H3")
def flag_rule(user, action):
    if action == VIEW:
        return _full_flag_q(user)
    if action == NOTICE:
        return _notice_q(user)
    return NOTHING


@rule("assistance.consent", view="case workers, investigators, prosecutors: persons they see",
      change="case workers, investigators: persons they change")
@rule("assistance.consentoverride", view="as consent", change="as consent")
def consent_rule(user, action):
    roles = ASSISTANCE_READERS if action == VIEW else ASSISTANCE_EDITORS
    if user.role not in roles:
        return NOTHING
    return Q(person__in=restricted_persons(user, action))


@rule("assistance.referral",
      view="the sending and the receiving agency (case workers, investigators, prosecutors); "
           "coordinators: every referral of the jurisdiction, without names",
      change="case workers, investigators of the sending or receiving agency")
def referral_rule(user, action):
    in_jurisdiction = Q(case__jurisdiction_id=user.jurisdiction_id)
    if user.role == Role.COORDINATOR and action == VIEW:
        return in_jurisdiction
    if user.role not in ASSISTANCE_READERS or (
            action != VIEW and user.role not in ASSISTANCE_EDITORS):
        return NOTHING
    return in_jurisdiction & (Q(from_agency_id=user.agency_id) | Q(to_agency_id=user.agency_id))


@rule("assistance.shelter",
      view="assistance readers and coordinators of the jurisdiction (counts, never who stays)",
      change="case workers of the shelter's own agency")
def shelter_rule(user, action):
    q = Q(agency__jurisdiction_id=user.jurisdiction_id)
    if action == VIEW:
        return q if user.role in SHELTER_VIEWERS else NOTHING
    return q & Q(agency_id=user.agency_id) if user.role in CARE_ROLES else NOTHING


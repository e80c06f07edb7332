"""A case's team: the lead adds and removes members, hands the lead over; each change is
audited and kept as a `TeamChange` the case shows."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from crossroads.access.actions import active
from crossroads.access.models import User
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.choices import TeamRole
from crossroads.registry.models import Case, CaseTeamMember

from ..choices import ACCOUNT_TEAM_ROLE, TEAM_ROLE_ACCOUNTS, TeamChangeKind
from ..models import TeamChange
from .lead import check_version, locked, require_lead


def eligible_account(case: Case, username: str, team_role: str) -> User:
    """The active account of the case's jurisdiction named `username`, whose role may take
    `team_role`; the lead also belongs to the owner agency. One message for every account
    that is not there, so that nobody learns of accounts in other jurisdictions."""
    if team_role not in TeamRole.values:
        raise ValidationError({"team_role": _("Unknown team role.")})
    user = (User.objects.select_related("agency")
            .filter(username=username, agency__jurisdiction_id=case.jurisdiction_id).first())
    if user is None or not active(user):
        raise ValidationError({"username": _("No active account of the case's jurisdiction "
                                             "has this user name.")})
    if user.role not in TEAM_ROLE_ACCOUNTS[team_role]:
        raise ValidationError({"team_role": _("This account's role cannot take this part in "
                                              "a team.")})
    if team_role == TeamRole.LEAD and user.agency_id != case.owner_agency_id:
        raise ValidationError({"team_role": _("The lead belongs to the owner agency.")})
    return user


def log(actor, case: Case, kind: str, member, team_role: str = "", **details) -> TeamChange:
    change = TeamChange.objects.create(case=case, kind=kind, member=member, team_role=team_role,
                                       changed_by=actor)
    record(actor, Action.UPDATE, case, details={"team": {
        "change": kind, "member": member.get_username(), "team_role": team_role, **details}})
    return change


def demote_lead(actor, case: Case) -> None:
    """The current lead (if any) stays on the team in the part their account plays."""
    lead = case.memberships.filter(team_role=TeamRole.LEAD).select_related("user").first()
    if lead is not None:
        lead.team_role = ACCOUNT_TEAM_ROLE[lead.user.role]
        lead.save(update_fields=["team_role"])
        log(actor, case, TeamChangeKind.ROLE_CHANGED, lead.user, lead.team_role)


def set_lead(actor, case: Case, user) -> CaseTeamMember:
    """Make `user` (already checked as eligible) the case's lead, the old lead staying on."""
    demote_lead(actor, case)
    member, _created = CaseTeamMember.objects.update_or_create(
        case=case, user=user, defaults={"team_role": TeamRole.LEAD})
    log(actor, case, TeamChangeKind.LEAD_HANDED_OVER, user, TeamRole.LEAD)
    return member


def add_member(actor, case: Case, username: str, team_role: str,
               version=None) -> CaseTeamMember:
    """Put an account on the team in `team_role`, or give a member another part; naming a
    new lead hands the lead over. With `version` (the case's, as read) a change built from an
    older read raises StaleVersion."""
    require_lead(actor, case)
    check_version(case, version)
    user = eligible_account(case, username, team_role)
    try:
        with transaction.atomic():
            case = locked(case, version)
            member = case.memberships.filter(user=user).first()
            if member is not None and member.team_role == team_role:
                raise ValidationError({"username": _("This account is already on the team in "
                                                     "this part.")})
            if member is not None and member.team_role == TeamRole.LEAD:
                raise ValidationError({"team_role": _("Hand the lead over to another member "
                                                      "first.")})
            if team_role == TeamRole.LEAD:
                return set_lead(actor, case, user)
            if member is None:
                member = CaseTeamMember.objects.create(case=case, user=user, team_role=team_role)
                log(actor, case, TeamChangeKind.ADDED, user, team_role)
            else:
                member.team_role = team_role
                member.save(update_fields=["team_role"])
                log(actor, case, TeamChangeKind.ROLE_CHANGED, user, team_role)
            return member
    except IntegrityError:  # the same account added by two requests at once
        raise ValidationError({"username": _("This account is already on the team in this "
                                             "part.")}) from None


def remove_member(actor, case: Case, username: str, version=None) -> None:
    require_lead(actor, case)
    check_version(case, version)
    with transaction.atomic():
        case = locked(case, version)
        member = case.memberships.select_related("user").filter(user__username=username).first()
        if member is None:
            raise Http404
        if member.team_role == TeamRole.LEAD:
            raise ValidationError({"username": _("Hand the lead over to another member before "
                                                 "leaving the team.")})
        member.delete()
        log(actor, case, TeamChangeKind.REMOVED, member.user, member.team_role)

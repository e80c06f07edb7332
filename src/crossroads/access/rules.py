"""Access rules of accounts, agencies and four-eyes approvals.

Administrators keep the accounts and agencies of their jurisdiction and see no case content
(separation of duties); every user sees the agencies of their own jurisdiction."""

from django.db.models import Q

from .actions import NOTHING, VIEW
from .choices import Role
from .rulebook import capability, rule

MANAGE_ACCOUNTS = capability("manage_accounts", {Role.ADMINISTRATOR},
                             "administrators: accounts, agencies and four-eyes approvals")


@rule("access.user", view="administrators: accounts of their jurisdiction",
      change="administrators: accounts of their jurisdiction (widening access waits for a "
             "second administrator)")
def account_rule(user, action):
    if user.role == Role.ADMINISTRATOR:
        return Q(agency__jurisdiction_id=user.jurisdiction_id)
    return NOTHING


@rule("access.agency", view="everyone: the agencies of their jurisdiction",
      change="administrators: the agencies of their jurisdiction")
def agency_rule(user, action):
    if user.role == Role.ADMINISTRATOR or action == VIEW:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING


@rule("access.approvalrequest", view="administrators of the jurisdiction",
      change="administrators of the jurisdiction (never their own request or account)")
def approval_rule(user, action):
    if user.role == Role.ADMINISTRATOR:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING

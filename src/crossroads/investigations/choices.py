"""Vocabularies of investigations: what happens to a case team, the states of a handling-code
change, and which accounts may take which part in a team."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import Role
from crossroads.registry.choices import HandlingCode, TeamRole


class TeamChangeKind(models.TextChoices):
    ADDED = "added", _("Added to the team")
    ROLE_CHANGED = "role_changed", _("Team role changed")
    REMOVED = "removed", _("Removed from the team")
    LEAD_HANDED_OVER = "lead_handed_over", _("Lead handed over")
    OWNERSHIP_TRANSFERRED = "ownership_transferred", _("Ownership transferred")


class HandlingChangeStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")        # a raise: in force at once
    PENDING = "pending", _("Pending")        # a lowering: waits for a second person
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# The accounts that may take each part in a team (the lead also belongs to the owner agency).
CASE_EDITOR_ROLES = frozenset({Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR})
TEAM_ROLE_ACCOUNTS = {
    TeamRole.LEAD: CASE_EDITOR_ROLES,
    TeamRole.INVESTIGATOR: frozenset({Role.INVESTIGATOR, Role.FOCAL_POINT}),
    TeamRole.PROSECUTOR: frozenset({Role.PROSECUTOR}),
    TeamRole.NGO_CONTACT: frozenset({Role.CASE_WORKER}),
}
# The part a former lead keeps on the team, by their account's role.
ACCOUNT_TEAM_ROLE = {Role.INVESTIGATOR: TeamRole.INVESTIGATOR, Role.FOCAL_POINT: TeamRole.INVESTIGATOR,
                     Role.PROSECUTOR: TeamRole.PROSECUTOR, Role.CASE_WORKER: TeamRole.NGO_CONTACT}


def restrictiveness(code: str) -> int:
    """H0 < H1 < H2 < H3: a higher code shares the case less."""
    return HandlingCode.values.index(code)

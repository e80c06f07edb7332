"""Reads of the access context, through the policy: what the pages and the API show.

The four-eyes reads are `access.approvals`' and the activation links' are
`access.activation`'s; they are named here so that every surface asks one module."""

from .activation import find as activation_link
from .activation import find_by_id as activation_link_by_id
from .approvals import get_request as get_approval
from .approvals import pending_requests as pending_approvals
from .approvals import requests as approval_requests
from .choices import ApprovalStatus
from .models import Agency, ApiToken, User
from .policy import CHANGE, VIEW, get_visible_or_404, require_capability

__all__ = ["accounts", "activation_link", "activation_link_by_id", "agencies", "approval_requests",
           "decided_approvals", "get_account", "get_agency", "get_approval", "manageable_agencies",
           "my_token", "my_tokens", "pending_approvals"]


def my_tokens(user):
    """The user's own usable API tokens, newest first."""
    return ApiToken.objects.usable().filter(user=user).order_by("-created_at")


def my_token(user, token_id) -> ApiToken | None:
    return my_tokens(user).filter(pk=token_id).first()


def agencies(user, kind: str = ""):
    """Active agencies the user may see (those of their jurisdiction), of one kind if given."""
    qs = Agency.objects.restrict(user, VIEW).filter(active=True)
    return qs.filter(kind=kind) if kind else qs


def accounts(actor):
    """The accounts an administrator keeps, by user name."""
    require_capability(actor, "manage_accounts")
    return User.objects.restrict(actor, VIEW).select_related("agency").order_by("username")


def get_account(actor, user_id) -> User:
    require_capability(actor, "manage_accounts")
    return get_visible_or_404(User.objects.all(), actor, pk=user_id)


def manageable_agencies(actor):
    """The agencies an administrator may change (and give accounts to)."""
    return Agency.objects.restrict(actor, CHANGE)


def get_agency(actor, agency_id) -> Agency:
    require_capability(actor, "manage_accounts")
    return get_visible_or_404(Agency.objects.all(), actor, pk=agency_id)


def decided_approvals(actor, limit: int = 30):
    """The most recently decided four-eyes requests."""
    return (approval_requests(actor).exclude(status=ApprovalStatus.PENDING)
            .order_by("-decided_at", "-id")[:limit])

"""Four-eyes account administration: what gives or widens access waits for a second administrator.

Creating an account (any role), changing an account's role, agency, user name or e-mail,
resetting its password, and reactivating an account become a pending `ApprovalRequest`; the
change applies only when another active administrator of the same jurisdiction approves it.
So do changing an agency's kind (the kind decides what its users may do) and reactivating an
agency. Nobody approves their own request or a request about their own account, and an
administrator's changes to their own account always wait for someone else. Deactivating an
account or an agency and correcting names narrow nothing, so they apply at once. Every step is
audited.

Administrators never choose a password: an approved new account or password reset gets an
unusable password and a single-use link (access/activation.py) that the approving
administrator hands to the user. Whatever changes what an account may do revokes its API
tokens (access/tokens.py `revoke_all`); its sessions end with it (the session hash covers the
password, role and agency; inactive accounts and agencies are refused at authentication).

Administrators keep no case or person scope at all: approving accounts gives them none.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.text import clean_text
from crossroads.versions import check, claim

from . import activation
from .choices import ActivationPurpose, AgencyKind, ApprovalKind, ApprovalStatus, Role
from .four_eyes import FourEyes
from .models import Agency, ApprovalRequest, User
from .policy import CHANGE, VIEW, get_visible_or_404, require, require_capability, restrict
from .tokens import revoke_all

ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "agency", "role", "is_active")
# Fields whose change cannot give anyone more access; they apply at once (except on one's own
# account). Everything else, and reactivation, waits for a second administrator.
IMMEDIATE_FIELDS = {"first_name", "last_name"}
PASSWORD = "password"  # noqa: S105 (the key of a reset in `changes`; never a password)
RESET = "reset_password"  # the form's field asking for a reset link
# Account changes after which the account's tokens no longer stand for what it may do.
TOKEN_ENDING = {"role", "agency", PASSWORD, "is_active"}
AGENCY_FIELDS = ("name", "names", "kind", "active")
AGENCY_IMMEDIATE = {"name", "names"}
NO_PASSWORDS = gettext_lazy(
    "Administrators no longer choose passwords: the user sets their own through a single-use "
    "link given once a second administrator approves. Tick “Send a password reset link” "
    "instead.")


@dataclass
class AccountChange:
    """What saving an account did: fields applied at once and the request left pending."""

    account: User | Agency | None
    applied: list[str] = field(default_factory=list)
    request: ApprovalRequest | None = None


def _value(account: User, name: str):
    return account.agency_id if name == "agency" else getattr(account, name)


def _form_value(data: dict, name: str):
    value = data.get(name)
    if name == "agency":
        return value.pk if value is not None else None
    if name == "is_active":
        return bool(value)
    return value if value is not None else ""


def _pending_for(account_id=None, username: str = "", agency_id=None):
    pending = ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
    if agency_id:
        return pending.filter(target_agency_id=agency_id)
    if account_id:
        return pending.filter(target_id=account_id)
    return pending.exclude(kind=ApprovalKind.CHANGE_AGENCY).filter(username__iexact=username)


def _audit_request(actor, request: ApprovalRequest) -> None:
    record(actor, Action.CREATE, request, details={
        "kind": request.kind, "account": request.target_id, "username": request.username,
        "agency": request.target_agency_id, "fields": sorted(request.changes)})


def _refuse_passwords(data: dict) -> None:
    if data.get(PASSWORD):
        raise ValidationError({NON_FIELD_ERRORS: NO_PASSWORDS})


def propose_account(actor, data: dict, account: User | None = None,
                    version: int | None = None) -> AccountChange:
    """Save an account from validated form data (`ACCOUNT_FIELDS` plus `password`). Built
    from the account at `version`, it is refused with StaleVersion if another change came
    first (crossroads.versions).

    Returns what applied now and the pending request, if any."""
    require_capability(actor, "manage_accounts")
    _refuse_passwords(data)
    agency = data.get("agency")
    if agency is not None and not restrict(Agency.objects.filter(pk=agency.pk), actor, CHANGE).exists():
        raise ValidationError({"agency": _("Choose an agency of your jurisdiction.")})
    if account is None or account.pk is None:
        return _propose_new(actor, data)
    require(actor, CHANGE, account)
    return _propose_change(actor, data, account, version)


def _propose_new(actor, data: dict) -> AccountChange:
    username = data["username"]
    if User.objects.filter(username__iexact=username).exists() or _pending_for(username=username).exists():
        raise ValidationError({"username": _("An account of this name exists or awaits approval.")})
    changes = {name: _form_value(data, name) for name in ACCOUNT_FIELDS}
    with transaction.atomic():
        request = ApprovalRequest.objects.create(
            kind=ApprovalKind.CREATE_ACCOUNT, jurisdiction_id=actor.jurisdiction_id,
            requested_by=actor, username=username, changes=changes)
        _audit_request(actor, request)
    return AccountChange(account=None, request=request)


def _propose_change(actor, data: dict, account: User, version: int | None) -> AccountChange:
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=account.pk)
        check(current, version)
        diff = {name: _form_value(data, name) for name in ACCOUNT_FIELDS
                if name in data and _form_value(data, name) != _value(current, name)}
        own = current.pk == actor.pk
        immediate = {} if own else {
            name: value for name, value in diff.items()
            if name in IMMEDIATE_FIELDS or (name == "is_active" and value is False)}
        pending = {name: value for name, value in diff.items() if name not in immediate}
        if data.get(RESET):
            pending[PASSWORD] = True
        if pending and _pending_for(account_id=current.pk).exists():
            raise ValidationError({NON_FIELD_ERRORS: _(
                "This account already has a change awaiting approval. Have it decided or "
                "cancel it first.")})
        if "username" in pending and (
                User.objects.filter(username__iexact=pending["username"]).exclude(pk=current.pk).exists()
                or _pending_for(username=pending["username"]).exists()):
            raise ValidationError({"username": _("An account of this name exists or awaits approval.")})
        result = AccountChange(account=current)
        if immediate:
            result.applied = _apply_now(actor, current, immediate, version)
            if immediate.get("is_active") is False:
                _account_narrowed(actor, current, "account deactivated")
        if pending:
            result.request = ApprovalRequest.objects.create(
                kind=ApprovalKind.CHANGE_ACCOUNT, jurisdiction_id=actor.jurisdiction_id,
                requested_by=actor, target=current, username=current.username,
                changes={k: v for k, v in pending.items()},
                previous={k: _value(current, k) for k in pending if k != PASSWORD})
            _audit_request(actor, result.request)
    return result


def _account_narrowed(actor, account: User, reason: str) -> None:
    """The account's tokens and links end (its sessions end by themselves: see the module)."""
    revoke_all(actor, [account], reason)
    activation.end_links(account)


def propose_agency(actor, data: dict, agency: Agency | None = None,
                   version: int | None = None) -> AccountChange:
    """Save an agency from validated form data (`AGENCY_FIELDS`), under four-eyes; built from
    the agency at `version`, refused with StaleVersion if another change came first.

    A new agency (it has no users yet) and a new name apply at once; deactivation applies at
    once and cuts off the agency's users (their tokens are revoked; log-ins, sessions and the
    policy refuse them). A change of kind and reactivation wait for a second administrator."""
    require_capability(actor, "manage_accounts")
    if agency is None or agency.pk is None:
        with transaction.atomic():
            agency = Agency.objects.create(jurisdiction_id=actor.jurisdiction_id,
                                           **{name: data[name] for name in AGENCY_FIELDS})
            record(actor, Action.CREATE, agency, details={"fields": list(AGENCY_FIELDS)})
        return AccountChange(account=agency, applied=list(AGENCY_FIELDS))
    require(actor, CHANGE, agency)
    with transaction.atomic():
        current = Agency.objects.select_for_update().get(pk=agency.pk)
        check(current, version)
        diff = {name: data[name] for name in AGENCY_FIELDS
                if name in data and data[name] != getattr(current, name)}
        immediate = {name: value for name, value in diff.items()
                     if name in AGENCY_IMMEDIATE or (name == "active" and value is False)}
        pending = {name: value for name, value in diff.items() if name not in immediate}
        if pending and _pending_for(agency_id=current.pk).exists():
            raise ValidationError({NON_FIELD_ERRORS: _(
                "This agency already has a change awaiting approval. Have it decided or "
                "cancel it first.")})
        result = AccountChange(account=current)
        if immediate:
            result.applied = _apply_now(actor, current, immediate, version)
            if immediate.get("active") is False:
                for account in current.users.all():
                    _account_narrowed(actor, account, "agency deactivated")
        if pending:
            result.request = ApprovalRequest.objects.create(
                kind=ApprovalKind.CHANGE_AGENCY, jurisdiction_id=actor.jurisdiction_id,
                requested_by=actor, target_agency=current, username=current.name,
                changes=pending, previous={k: getattr(current, k) for k in pending})
            _audit_request(actor, result.request)
    return result


def pending_requests(actor):
    require_capability(actor, "manage_accounts")
    return (restrict(ApprovalRequest.objects.all(), actor, VIEW)
            .filter(status=ApprovalStatus.PENDING)
            .select_related("requested_by", "target").order_by("requested_at", "id"))


def requests(actor, status: str = ""):
    require_capability(actor, "manage_accounts")
    qs = (restrict(ApprovalRequest.objects.all(), actor, VIEW)
          .select_related("requested_by", "target", "decided_by"))
    if status:
        if status not in ApprovalStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        qs = qs.filter(status=status)
    return qs


def get_request(actor, request_id) -> ApprovalRequest:
    require_capability(actor, "manage_accounts")
    return get_visible_or_404(ApprovalRequest.objects.select_related("requested_by", "target", "decided_by"),
                              actor, pk=request_id)


# The account flow under the shared four-eyes rules (access/four_eyes.py): another active
# administrator of the jurisdiction, neither the requester nor the account concerned.
FLOW = FourEyes(ApprovalRequest, capability="manage_accounts",
                decided_message=gettext_lazy("This request has already been decided."),
                others=("target_id",), pending=ApprovalStatus.PENDING, related=("requested_by",))


def may_decide(actor, request: ApprovalRequest) -> bool:
    """A second administrator: not the requester, not the account concerned."""
    return FLOW.may_decide(actor, request)


def require_second_administrator(actor, request: ApprovalRequest, action: str) -> None:
    """403 (audited) unless the actor may approve or reject the request."""
    FLOW.require_decider(actor, request, action)


def _is_requester(actor, request: ApprovalRequest) -> bool:
    return request.requested_by_id == actor.pk


def require_requester(actor, request: ApprovalRequest) -> None:
    FLOW.require_decider(actor, request, "cancel", allowed=_is_requester)


def _close(actor, request: ApprovalRequest, status: str, reason: str) -> None:
    # The password hash is applied to the account or dropped: no second copy stays.
    FLOW.close(actor, request, status, reason, fields={"password_hash": "", "target": request.target},
               details={"decision": status, "kind": request.kind, "account": request.target_id,
                        "agency": request.target_agency_id,
                        "requested_by": request.requested_by_id})


def approve(actor, request_id, reason: str = "") -> ApprovalRequest:
    """Apply a pending request; only another active administrator of its jurisdiction may.

    For a new account or a password reset, the returned request carries `link_secret`: the
    secret of the account's activation or reset link, to be shown once to the approver."""
    reason = clean_text(reason)[:500]
    request = get_request(actor, request_id)
    effect = _apply_agency if request.kind == ApprovalKind.CHANGE_AGENCY else _apply_account
    return FLOW.decide(actor, request, "approve", lambda locked: effect(actor, locked, reason))


def _apply_account(actor, request: ApprovalRequest, reason: str) -> ApprovalRequest:
    changes = dict(request.changes)
    agency_id = changes.get("agency")
    if agency_id is not None and not Agency.objects.filter(
            pk=agency_id, jurisdiction_id=request.jurisdiction_id).exists():
        raise ValidationError({"agency": _("The agency is no longer of this jurisdiction.")})
    if agency_id is not None and not Agency.objects.filter(pk=agency_id, active=True).exists():
        raise ValidationError({"agency": _("The agency has been deactivated.")})
    new_name = changes.get("username")
    if new_name and User.objects.filter(username__iexact=new_name).exclude(
            pk=request.target_id).exists():
        raise ValidationError({"username": _("An account of this name exists already.")})
    created = request.kind == ApprovalKind.CREATE_ACCOUNT
    account = User() if created else User.objects.select_for_update().get(pk=request.target_id)
    if not created:
        claim(account)  # a form filled before the approval is out of date now
    if created or PASSWORD in changes:
        # Nobody but the link's holder will know a password of this account.
        account.set_unusable_password()
    for name, value in changes.items():
        if name == "agency":
            account.agency_id = value
        elif name != PASSWORD:
            setattr(account, name, value)
    account.save()
    request.target = account
    _close(actor, request, ApprovalStatus.APPROVED, reason)
    record(actor, Action.CREATE if created else Action.UPDATE, account, details={
        "fields": sorted(changes), "approval": request.pk,
        "requested_by": request.requested_by_id})
    if not created and TOKEN_ENDING & set(changes):
        revoke_all(actor, [account], "account changed: " + ", ".join(
            sorted(TOKEN_ENDING & set(changes))))
    request.link_secret = None
    if created or PASSWORD in changes:
        request.link_secret = activation.issue_link(
            actor, account, ActivationPurpose.ACTIVATE if created else ActivationPurpose.RESET)
    return request


def _apply_agency(actor, request: ApprovalRequest, reason: str) -> ApprovalRequest:
    agency = Agency.objects.select_for_update().get(pk=request.target_agency_id)
    claim(agency)
    changes = {k: v for k, v in request.changes.items() if k in AGENCY_FIELDS}
    for name, value in changes.items():
        setattr(agency, name, value)
    agency.save(update_fields=sorted(changes))
    _close(actor, request, ApprovalStatus.APPROVED, reason)
    record(actor, Action.UPDATE, agency, details={
        "fields": sorted(changes), "approval": request.pk,
        "requested_by": request.requested_by_id})
    if "kind" in changes:
        # What each of its users may do has changed: their tokens stood for the old kind.
        revoke_all(actor, agency.users.all(), "agency kind changed")
    request.link_secret = None
    return request


def reject(actor, request_id, reason: str) -> ApprovalRequest:
    """Refuse a pending request: nothing of it applies. A reason is required."""
    reason = clean_text(reason)

    def require_reason():
        if not reason:
            raise ValidationError({"reason": _("Say why the request is rejected.")})

    return FLOW.decide(actor, get_request(actor, request_id), "reject",
                       lambda locked: _close(actor, locked, ApprovalStatus.REJECTED, reason),
                       before=require_reason)


def cancel(actor, request_id) -> ApprovalRequest:
    """The requester withdraws their own pending request."""
    return FLOW.decide(actor, get_request(actor, request_id), "cancel",
                       lambda locked: _close(actor, locked, ApprovalStatus.CANCELLED, ""),
                       allowed=_is_requester)


FIELD_LABELS = {
    "username": gettext_lazy("User name"), "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"), "email": gettext_lazy("E-mail"),
    "agency": gettext_lazy("Agency"), "role": gettext_lazy("Role"),
    "is_active": gettext_lazy("Active"), PASSWORD: gettext_lazy("Password"),
    "name": gettext_lazy("Name"), "kind": gettext_lazy("Kind"), "active": gettext_lazy("Active"),
}


def _display(name: str, value, agencies: dict) -> str:
    if value is None or value == "":
        return "—"
    if name == "agency":
        return str(agencies.get(value, value))
    if name == "role":
        return str(Role(value).label) if value in Role.values else str(value)
    if name == "kind":
        return str(AgencyKind(value).label) if value in AgencyKind.values else str(value)
    if name in {"is_active", "active"}:
        return _("yes") if value else _("no")
    if name == PASSWORD:
        return _("a password reset link")
    return str(value)


def describe(request: ApprovalRequest) -> list[dict]:
    """The request's changes as rows of label, previous value and proposed value, for pages."""
    agency_ids = [v for v in (request.changes.get("agency"), request.previous.get("agency")) if v]
    # The kind is shown with the name: it decides what the account's role may do there.
    agencies = {a.pk: f"{a.name} ({a.get_kind_display()})"
                for a in Agency.objects.filter(pk__in=agency_ids)}
    rows = []
    names = AGENCY_FIELDS if request.kind == ApprovalKind.CHANGE_AGENCY else [*ACCOUNT_FIELDS, PASSWORD]
    for name in names:
        if name not in request.changes:
            continue
        rows.append({"field": name, "label": FIELD_LABELS[name],
                     "before": _display(name, request.previous.get(name), agencies)
                     if request.kind != ApprovalKind.CREATE_ACCOUNT else "—",
                     "after": _display(name, request.changes[name], agencies)})
    return rows


def _apply_now(actor, obj, immediate: dict, version: int | None) -> list[str]:
    """Apply the changes that widen nobody's access at once, audited; the fields applied. The
    row moves to its next version if still at `version` (else StaleVersion, nothing written)."""
    claim(obj, version)
    for name, value in immediate.items():
        setattr(obj, name, value)
    obj.save(update_fields=sorted(immediate))
    record(actor, Action.UPDATE, obj, details={"fields": sorted(immediate)})
    return sorted(immediate)

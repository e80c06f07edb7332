"""Jurisdictions, agencies, user accounts and personal API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from crossroads.keys.fields import EncryptedTextField, row_key_field
from crossroads.versions import version_field

from .choices import (
    JURISDICTION_NAMES,
    ActivationPurpose,
    AgencyKind,
    ApprovalKind,
    ApprovalStatus,
    Role,
    TokenScope,
)
from .policy import RestrictedQuerySet


class Jurisdiction(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("jurisdiction")

    def __str__(self):
        return str(JURISDICTION_NAMES.get(self.code, self.name))


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="agencies",
                                     verbose_name=_("jurisdiction"))
    active = models.BooleanField(_("active"), default=True)
    version = version_field()
    # The name in the other interface languages, by language code ({"sq": "…"}); the official
    # `name` is shown where one is missing. Kept by the administrators on the agency's page.
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="agency_unique_name"),
        ]

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """The name in the active language, else the official name."""
        return self.names.get(translation.get_language() or "", "") or self.name


class AccountManager(UserManager.from_queryset(RestrictedQuerySet)):
    """Django's user manager plus the policy's `restrict`."""


class User(AbstractUser):
    """An account belongs to one agency (and so one jurisdiction) and holds one role."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="users", verbose_name=_("agency"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Moves on with every administrator's change (applied now or approved), not with log-ins.
    version = version_field()

    objects = AccountManager()

    @property
    def jurisdiction_id(self) -> str | None:
        return self.agency.jurisdiction_id if self.agency_id else None

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (a session lives only as long as the password it was opened
        with), bound to the role and agency too: changing either ends the account's sessions."""
        return salted_hmac("crossroads.access.models.User.get_session_auth_hash",
                           f"{self.password}|{self.role}|{self.agency_id}", secret=secret,
                           algorithm="sha256").hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Unrevoked, unexpired tokens of active accounts of active agencies."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True,
                           user__agency__active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal token for programs; only its SHA-256 is stored.

    A token never grants more than its owner's role; a read-only token cannot write even
    where the owner could."""

    PREFIX = "cr_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices,
                             default=TokenScope.READ)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    @staticmethod
    def digest(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, days: int = 90, raw: str | None = None,
              scope: str = TokenScope.READ):
        """Create a token and return (token, raw secret); the secret is shown once."""
        raw = raw or cls.PREFIX + secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=days)
        token = cls.objects.create(user=user, name=name, key_hash=cls.digest(raw), expires_at=expires,
                                   scope=scope)
        return token, raw


# ------------------------------------------------------------------------------------------
# Break-glass: time-limited, justified, audited access to one case (see registry/break_glass.py)
# ------------------------------------------------------------------------------------------

class BreakGlassGrantQuerySet(RestrictedQuerySet):
    def active(self, at=None):
        """Grants not revoked and not yet expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class BreakGlassGrant(models.Model):
    """One user's stated reason to open one case outside their normal rights, for a few hours.

    The role and agency are copied at opening, so the record keeps saying who acted even if
    the account changes later. Grants are never deleted; they expire or are revoked."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass_grants",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT,
                             related_name="break_glass_grants", verbose_name=_("case"))
    purpose = models.TextField(_("purpose"))
    granted_at = models.DateTimeField(_("opened at"), default=timezone.now)
    expires_at = models.DateTimeField(_("until"))
    revoked_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("ended by"))

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("break-glass grant")
        verbose_name_plural = _("break-glass grants")
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self):
        return f"{self.user} → {self.case_id} ({self.granted_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


# ------------------------------------------------------------------------------------------
# Four-eyes: account changes that give or widen access wait for a second administrator
# ------------------------------------------------------------------------------------------

class ApprovalRequest(models.Model):
    """A proposed account (or agency) change that applies only once another administrator
    approves it.

    `changes` holds the proposed values (agency as its id), `previous` the values they replace.
    A password is never in them: administrators never set one (`"password": true` asks for a
    reset link). `password_hash` is kept empty; older requests may hold a hash, never applied."""

    kind = models.CharField(_("kind"), max_length=16, choices=ApprovalKind.choices)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("jurisdiction"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    target = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="approval_requests", verbose_name=_("account"))
    target_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="approval_requests", verbose_name=_("agency"))
    username = models.CharField(_("user name"), max_length=150)
    changes = models.JSONField(_("proposed changes"), default=dict)
    previous = models.JSONField(_("previous values"), default=dict, blank=True)
    password_hash = models.CharField(max_length=256, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")

    def __str__(self):
        return f"{self.get_kind_display()} {self.username}"

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING


# ------------------------------------------------------------------------------------------
# Activation and reset links: how a user sets their own password (see access/activation.py)
# ------------------------------------------------------------------------------------------

class ActivationLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True,
                           expires_at__gt=timezone.now())


class ActivationLink(models.Model):
    """A single-use, expiring link for one account; only the SHA-256 of its secret is stored.

    Opening it lets the holder set the account's password (and, for a new account, enrol the
    second factor). Using it, issuing a newer one, or deactivating the account ends it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_links")
    purpose = models.CharField(max_length=16, choices=ActivationPurpose.choices)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ActivationLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.user_id}"


class IdempotentRequest(models.Model):
    """The first answer to an API POST sent with an `Idempotency-Key`, kept to replay to the same
    user's retries (crossroads.access.idempotency). Written in the transaction of the request's
    own writes: either both are stored or neither. The key and the request are kept as hashes,
    the answer encrypted (it may name persons); none of it is audit data."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = EncryptedTextField(blank=True)
    row_key = row_key_field()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key_hash"],
                                               name="idempotency_key_per_user")]

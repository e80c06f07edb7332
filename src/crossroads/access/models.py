"""Jurisdictions, agencies, user accounts and personal API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .policy import RestrictedQuerySet
from .roles import JURISDICTION_NAMES, AgencyKind, Role


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

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="agency_unique_name"),
        ]

    def __str__(self):
        return self.name


class AccountManager(UserManager.from_queryset(RestrictedQuerySet)):
    """Django's user manager plus the policy's `restrict`."""


class User(AbstractUser):
    """An account belongs to one agency (and so one jurisdiction) and holds one role."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="users", verbose_name=_("agency"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)

    objects = AccountManager()

    @property
    def jurisdiction_id(self) -> str | None:
        return self.agency.jurisdiction_id if self.agency_id else None


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


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

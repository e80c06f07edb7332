"""The named account a command acts for (`--user`): every command that writes or reads
protected rows runs as a user, under the access policy, audited in their name."""

from django.core.management.base import CommandError

from crossroads.access.models import User


def acting_user(username: str | None, what: str) -> User:
    """The active account named by `--user`, or a CommandError saying what is missing."""
    if not username:
        raise CommandError(f"--user USERNAME is required: {what} runs as that user, under the "
                           "access policy, and is audited in their name")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user: no active account {username!r}")
    return user

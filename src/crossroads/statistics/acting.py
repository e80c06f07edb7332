"""What the statistics and regional commands share: the named user a command acts for, the
refusal of the retired `--approved-by`, and service errors named by their option."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from crossroads.access.models import User

APPROVED_BY_RETIRED = (
    "--approved-by no longer approves: the release is queued; a second coordinator approves "
    "it on /releases/. Name the coordinator who asks for it with --user USERNAME.")


def acting_user(username: str | None, what: str) -> User:
    """The active account named by `--user`, or a CommandError saying what is missing."""
    if not username:
        raise CommandError(f"--user USERNAME is required: {what} runs as that user, under the "
                           "access policy, and is audited in their name")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user: no active account {username!r}")
    return user


def option_errors(error: ValidationError) -> CommandError:
    """A service's ValidationError as a CommandError naming each option."""
    if not hasattr(error, "error_dict"):
        return CommandError(" ".join(error.messages))
    return CommandError("; ".join(f"--{name.replace('_', '-')}: {' '.join(messages)}"
                                  for name, messages in error.message_dict.items()))

"""What the statistics and regional commands share: the refusal of the retired
`--approved-by`, and service errors named by their option (the named user a command acts for
is `crossroads.access.acting`)."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

APPROVED_BY_RETIRED = (
    "--approved-by no longer approves: the release is queued; a second coordinator approves "
    "it on /releases/. Name the coordinator who asks for it with --user USERNAME.")


def option_errors(error: ValidationError) -> CommandError:
    """A service's ValidationError as a CommandError naming each option."""
    if not hasattr(error, "error_dict"):
        return CommandError(" ".join(error.messages))
    return CommandError("; ".join(f"--{name.replace('_', '-')}: {' '.join(messages)}"
                                  for name, messages in error.message_dict.items()))

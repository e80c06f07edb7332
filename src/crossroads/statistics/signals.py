"""What the statistics announce to the apps above them, which they must not import.

`release_approved` is sent inside the approving transaction (`release`, `actor`) of a release
marked for the hub: the regional app queues its publication there, so the release is approved
and queued, or neither."""

from django.dispatch import Signal

release_approved = Signal()

"""What the monitor announces to the apps above it, which it must not import.

`scorecard_approved` is sent inside the approving transaction (`publication`, `actor`) of a
scorecard publication: the regional app queues it for the hub there, so the publication is
approved and queued, or neither."""

from django.dispatch import Signal

scorecard_approved = Signal()

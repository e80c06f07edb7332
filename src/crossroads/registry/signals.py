"""What the register announces to the apps above it, which it must not import.

`person_saved` is sent once the transaction that created or changed a person has committed
(`actor`, `person`): linkage stores the person's possible duplicates, whatever surface saved
it (page, API, import, field sync)."""

from django.dispatch import Signal

person_saved = Signal()

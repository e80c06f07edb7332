"""Contact notes: a dated note of a contact with the person of a file (in person, by phone, an
outreach visit...). A note only adds to the file; it changes nothing recorded before it."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.validation import refuse_hidden
from crossroads.validation import collect

from ..checks import require_editor
from ..choices import ContactMode
from ..models import ContactNote, VictimFile

NARRATIVE_MAX = 5000


@dataclass
class ContactInput:
    contacted_on: datetime.date | None
    mode: str
    narrative: str


def check_contact(data: ContactInput) -> str:
    """The cleaned narrative, or one ValidationError naming every mistake of the note (a caller
    that checks more, such as the field sync, runs it inside its own `collect()`)."""
    with collect() as errors:
        if data.contacted_on is None:
            errors.add({"contacted_on": _("Give the date of the contact.")})
        elif data.contacted_on > timezone.localdate():
            errors.add({"contacted_on": _("This date is in the future.")})
        if data.mode not in ContactMode.values:
            errors.add({"mode": _("Choose one of the listed answers.")})
        narrative = (errors.check(refuse_hidden, data.narrative or "", "narrative") or "").strip()
        if not narrative:
            errors.add({"narrative": _("Write what was said and done.")})
        elif len(narrative) > NARRATIVE_MAX:
            errors.add({"narrative": _("Shorten this to at most %(max)s characters.") % {
                "max": NARRATIVE_MAX}})
    return narrative


def record_contact(actor, file: VictimFile, data: ContactInput) -> ContactNote:
    """Case workers and investigators who may change the file."""
    require_editor(actor, file)
    narrative = check_contact(data)
    with transaction.atomic():
        note = ContactNote.objects.create(
            file=file, contacted_on=data.contacted_on, mode=data.mode, narrative=narrative,
            agency_id=actor.agency_id, recorded_by=actor)
        record(actor, Action.CREATE, note, details={"file": file.pk, "mode": data.mode})
    return note

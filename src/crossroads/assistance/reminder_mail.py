"""Reminder e-mails. After a reminder run, each person who may see the cases behind its new
reminders gets one e-mail with counts only and the node's address: no name, no case reference,
nothing of a victim, since an e-mail leaves the node's protection. Sent only when the operator
turns them on (CROSSROADS_REMINDER_EMAILS, with Django's EMAIL_* settings); a mail server that
fails is logged and never fails the run (the reminders are on the home page either way)."""

import logging
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crossroads.access.models import User
from crossroads.access.policy import VIEW, restrict
from crossroads.access.rulebook import capability_roles

from .choices import DUE_SOON_DAYS
from .models import Reminder
from .rules import ASSIST_VICTIMS

log = logging.getLogger(__name__)


def _body(user, counts: Counter) -> tuple[str, str]:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        lines = []
        if counts["overdue"]:
            lines.append(ngettext("%(n)d protection timer is overdue.",
                                  "%(n)d protection timers are overdue.",
                                  counts["overdue"]) % {"n": counts["overdue"]})
        if counts["due"]:
            lines.append(ngettext("%(n)d protection timer is due within %(days)d days.",
                                  "%(n)d protection timers are due within %(days)d days.",
                                  counts["due"]) % {"n": counts["due"], "days": DUE_SOON_DAYS})
        where = settings.CROSSROADS_BASE_URL or "Crossroads"  # the product name
        lines += ["", _("They are on your home page: %(where)s") % {"where": where}, "",
                  _("This message names no person and no case on purpose.")]
        return _("Crossroads: protection timers need attention"), "\n".join(lines)


def send_digests(reminder_ids) -> int:
    """One e-mail per person with a new reminder they may see; the number sent."""
    if not settings.CROSSROADS_REMINDER_EMAILS or not reminder_ids:
        return 0
    new = Reminder.objects.filter(pk__in=list(reminder_ids))
    jurisdictions = set(new.values_list("timer__file__case__jurisdiction_id", flat=True))
    readers = (User.objects.filter(is_active=True, role__in=capability_roles(ASSIST_VICTIMS),
                                   agency__jurisdiction_id__in=jurisdictions)
               .exclude(email="").select_related("agency"))
    messages = []
    for user in readers:
        counts = Counter(restrict(new, user, VIEW).values_list("state", flat=True))
        if counts:
            subject, body = _body(user, counts)
            messages.append(EmailMessage(subject, body, to=[user.email]))
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # noqa: BLE001 - a mail server down must not fail the reminder run
        log.exception("reminder e-mails could not be sent")
        return 0

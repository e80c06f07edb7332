"""Reads of reports from the public: the triage queue and its groups of possible duplicates,
one report with its conversation and its possible duplicates, a hotline operator's own calls,
and the reporter's view through the receipt code."""

import datetime
from dataclasses import dataclass

from django.db.models import Case as Ranked
from django.db.models import IntegerField, Value, When

from crossroads.access.actions import VIEW
from crossroads.access.policy import get_visible_or_404, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record

from . import receipts, similarity
from .choices import HOTLINE_CHANNELS, OPEN_STATUSES, OPERATOR_STATES, Urgency
from .models import Message, Report

_URGENCY_ORDER = Ranked(*(When(urgency=u, then=Value(i)) for i, u in enumerate(Urgency.values)),
                       output_field=IntegerField())


def queue(user, *, status: str = "", urgency: str = "", mine: bool = False):
    """The reports the user may see, the open ones first, the most urgent and oldest deadline
    first."""
    reports = restrict(Report.objects, user, VIEW).select_related("assignee", "case")
    if status:
        reports = reports.filter(status=status)
    if urgency:
        reports = reports.filter(urgency=urgency)
    if mine:
        reports = reports.filter(assignee=user)
    is_open = Ranked(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1),
                    output_field=IntegerField())
    return reports.order_by(is_open, _URGENCY_ORDER, "due_at", "id")


# The open reports the groups are drawn from, the newest first: a bound on the decryption and
# the comparisons of one page (duplicates arrive within days of each other).
GROUPED_MAX = 500


def duplicate_groups(user, *, context: str) -> list[similarity.Group]:
    """The groups of possible duplicates among the open reports the user may see (never a
    report they may not: the comparison runs on their visible reports only). The reasons
    name the people the texts share, so the read is audited, naming the reports shown."""
    reports = list(restrict(Report.objects, user, VIEW).open()
                   .order_by("-received_at", "-id")[:GROUPED_MAX])
    groups = similarity.groups(reports)
    if groups:
        record(user, Action.READ_IDENTITY, object_type=Report._meta.label_lower, details={
            "via": context, "reports": [r.pk for group in groups for r in group.reports]})
    return groups


def my_calls(user, *, state: str = "", date_from: datetime.date | None = None,
             date_to: datetime.date | None = None):
    """The hotline calls the user entered, the newest call first; only the user's own (the
    policy lets them see what they entered, and the filter keeps it to their calls)."""
    calls = restrict(Report.objects, user, VIEW).filter(entered_by=user,
                                                          channel__in=HOTLINE_CHANNELS)
    if state in OPERATOR_STATES:
        calls = calls.filter(status__in=OPERATOR_STATES[state])
    if date_from:
        calls = calls.filter(call_at__date__gte=date_from)
    if date_to:
        calls = calls.filter(call_at__date__lte=date_to)
    return calls.order_by("-call_at", "-received_at", "-id")


def my_call(user, report_id: int, *, context: str) -> Report:
    """One call the user entered (404 for any other report, which they are not told of); its
    text is shown, so the read is audited."""
    call = get_visible_or_404(Report.objects.filter(entered_by=user, channel__in=HOTLINE_CHANNELS),
                              user, pk=report_id)
    record(user, Action.READ_IDENTITY, call, details={"via": context})
    return call


@dataclass
class ReportView:
    report: Report
    messages: list[Message]
    duplicates: list[Report]

    def __getattr__(self, name):  # the report's own fields, for the schemas and templates
        return getattr(self.report, name)

    @property
    def possible_duplicates(self) -> list[int]:
        return [report.pk for report in self.duplicates]


def report_view(user, report_id: int, *, context: str) -> ReportView:
    """One report for the triage team: its text and contact (audited as a read), the
    conversation and the open reports that may tell of the same event."""
    report = get_visible_or_404(Report.objects.select_related("assignee", "case", "agency"),
                                user, pk=report_id)
    others = restrict(Report.objects, user, VIEW).filter(
        jurisdiction_id=report.jurisdiction_id, municipality=report.municipality,
        received_at__gte=report.received_at - similarity.WINDOW,
        received_at__lte=report.received_at + similarity.WINDOW).exclude(pk=report.pk)
    record(user, Action.READ_IDENTITY, report, details={"via": context})
    return ReportView(report, list(report.messages.select_related("sent_by")),
                      similarity.possible_duplicates(report, others))


def visible_report(user, report_id: int) -> Report:
    return get_visible_or_404(Report.objects, user, pk=report_id)


def by_receipt(code: str) -> Report | None:
    """The report of a receipt code, or None; the same cost either way (`receipts.digest`)."""
    return Report.objects.filter(receipt_digest=receipts.digest(code)).first()


def conversation(report: Report) -> list[Message]:
    return list(report.messages.all())

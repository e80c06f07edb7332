"""Writes of the inquiries, the oversight body's own cases: opening one from access alerts or
from a complaint, linking further alerts, the steps open → investigating → findings issued →
closed (or withdrawn), the findings, the recommendations to agencies and the agency's answer
(entered by oversight: the agency answers by letter). Each write checks the policy, claims the
row's version (crossroads.versions: of two writes at once one wins, the other is stale) and is
audited; no narrative (complaint, findings, answers) goes into the chain, only ids and states,
and never the account concerned (the chain is readable by every oversight account of the
jurisdiction, the one an inquiry may be about included)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.models import Agency, User
from crossroads.access.policy import CHANGE, get_visible_or_404, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.text import clean_text
from crossroads.validation import Errors, collect
from crossroads.versions import check, claim

from ..choices import (
    INQUIRY_ENDED,
    INQUIRY_STEP_DATES,
    INQUIRY_TRANSITIONS,
    InquirySource,
    InquiryStatus,
    RecommendationStatus,
)
from ..models import Alert, Inquiry, Recommendation
from ..rules import OVERSEE

SUBJECT_MAX, TEXT_MAX = 300, 20000


@dataclass
class ComplaintInput:
    subject: str
    complainant: str
    received_on: datetime.date | None
    agency_id: int | None = None
    account: str = ""           # the user name of the account complained about


@dataclass
class RecommendationInput:
    agency_id: int | None
    text: str
    deadline: datetime.date | None


@dataclass
class AnswerInput:
    status: str
    answer: str
    answered_on: datetime.date | None


def _text(errors: Errors, value: str, name: str, *, limit: int, required: bool = True) -> str:
    value = clean_text(value or "").strip()
    if required and not value:
        errors.add({name: _("This field is required.")})
    elif len(value) > limit:
        errors.add({name: _("At most %(n)s characters.") % {"n": limit}})
    return value


def _past_date(errors: Errors, value, name: str) -> None:
    if value is None:
        errors.add({name: _("Give the date.")})
    elif value > timezone.localdate():
        errors.add({name: _("The date cannot be in the future.")})


def _agency(errors: Errors, actor, agency_id, name: str) -> Agency | None:
    if agency_id is None:
        return None
    agency = Agency.objects.filter(pk=agency_id, jurisdiction_id=actor.jurisdiction_id).first()
    if agency is None:
        errors.add({name: _("Choose an agency of your jurisdiction.")})
    return agency


def _inquiry(actor, inquiry_id: int, version=None) -> Inquiry:
    require_capability(actor, OVERSEE)
    inquiry = get_visible_or_404(Inquiry.objects.all(), actor, pk=inquiry_id)
    require(actor, CHANGE, inquiry)
    check(inquiry, version)
    return inquiry


def _alerts(actor, alert_ids) -> list[Alert]:
    found = []
    for alert_id in dict.fromkeys(alert_ids):
        alert = get_visible_or_404(Alert.objects.all(), actor, pk=alert_id)
        require(actor, CHANGE, alert)
        found.append(alert)
    return found


def open_from_alerts(actor, alert_ids: list[int], subject: str = "") -> Inquiry:
    """An inquiry into one or more alerts; the account and agency concerned are the alerts'
    when they all share one."""
    require_capability(actor, OVERSEE)
    if not alert_ids:
        raise ValidationError({"alerts": _("Name at least one access alert.")})
    with collect() as errors:
        alerts = _alerts(actor, alert_ids)
        subject = _text(errors, subject, "subject", limit=SUBJECT_MAX, required=False) or (
            "; ".join(f"#{a.pk} {a.get_kind_display()}" for a in alerts)[:SUBJECT_MAX])
    actors = {a.actor_id for a in alerts}
    agencies = {a.agency_id for a in alerts}
    account = User.objects.filter(pk=actors.pop()).first() if len(actors) == 1 else None
    agency = Agency.objects.filter(pk=agencies.pop()).first() if len(agencies) == 1 else None
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            jurisdiction=actor.jurisdiction_id, source=InquirySource.ALERT, subject=subject,
            agency=agency, account=account, opened_by=actor)
        inquiry.alerts.set(alerts)
        record(actor, Action.CREATE, inquiry, details={
            "source": InquirySource.ALERT, "alerts": [a.pk for a in alerts],
            "agency": inquiry.agency_id})
    return inquiry


def check_complaint(actor, data: ComplaintInput) -> tuple[str, str, Agency | None, User | None]:
    """Every mistake of a complaint at once; its subject, complainant, agency and account."""
    require_capability(actor, OVERSEE)
    with collect() as errors:
        subject = _text(errors, data.subject, "subject", limit=SUBJECT_MAX)
        complainant = _text(errors, data.complainant, "complainant", limit=SUBJECT_MAX)
        _past_date(errors, data.received_on, "received_on")
        agency = _agency(errors, actor, data.agency_id, "agency_id")
        account = None
        if data.account:
            account = User.objects.filter(username=data.account).select_related("agency").first()
            if account is None or account.jurisdiction_id != actor.jurisdiction_id:
                errors.add({"account": _("No account of your jurisdiction has this user name.")})
            elif account.pk == actor.pk:
                errors.add({"account": _("An inquiry about yourself is for another oversight "
                                         "account to open.")})
        elif data.agency_id is None:
            errors.add({"agency_id": _("Name the agency or the account complained about.")})
    return subject, complainant, agency, account


def open_from_complaint(actor, data: ComplaintInput) -> Inquiry:
    """An inquiry into a complaint about an agency, an account of the jurisdiction, or both."""
    subject, complainant, agency, account = check_complaint(actor, data)
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            jurisdiction=actor.jurisdiction_id, source=InquirySource.COMPLAINT, subject=subject,
            complainant=complainant, received_on=data.received_on, agency=agency,
            account=account, opened_by=actor)
        record(actor, Action.CREATE, inquiry, details={
            "source": InquirySource.COMPLAINT, "agency": inquiry.agency_id})
    return inquiry


def link_alerts(actor, inquiry_id: int, alert_ids: list[int], version=None) -> Inquiry:
    """Add further alerts to an inquiry still running."""
    inquiry = _inquiry(actor, inquiry_id, version)
    alerts = _alerts(actor, alert_ids)
    if inquiry.status in INQUIRY_ENDED:
        raise ValidationError({"alerts": _("The inquiry is over: no alert can join it.")})
    if not alerts:
        raise ValidationError({"alerts": _("Name at least one access alert.")})
    with transaction.atomic():
        claim(inquiry, version)
        inquiry.alerts.add(*alerts)
        record(actor, Action.UPDATE, inquiry, details={"alerts_added": [a.pk for a in alerts]})
    return inquiry


def write_findings(actor, inquiry_id: int, findings: str, version=None) -> Inquiry:
    """The findings, written while the inquiry is investigated (issuing them fixes them)."""
    inquiry = _inquiry(actor, inquiry_id, version)
    with collect() as errors:
        findings = _text(errors, findings, "findings", limit=TEXT_MAX)
        if inquiry.status != InquiryStatus.INVESTIGATING:
            errors.add({"findings": _("Findings are written while the inquiry is being "
                                      "investigated.")})
    with transaction.atomic():
        claim(inquiry, version, status=InquiryStatus.INVESTIGATING)
        inquiry.findings = findings
        inquiry.save(update_fields=["findings", "updated_at"])
        record(actor, Action.UPDATE, inquiry, details={"findings": True})
    return inquiry


def move_inquiry(actor, inquiry_id: int, status: str, reason: str = "", version=None) -> Inquiry:
    """One step of the inquiry: investigating, findings_issued (the findings written first),
    closed, withdrawn (with a reason). Each step stamps its date."""
    inquiry = _inquiry(actor, inquiry_id, version)
    with collect() as errors:
        reason = _text(errors, reason, "reason", limit=TEXT_MAX, required=False)
        if status not in InquiryStatus.values:
            errors.add({"status": _("Choose a status: %(codes)s.") % {
                "codes": ", ".join(InquiryStatus.values)}})
        elif status not in INQUIRY_TRANSITIONS[inquiry.status]:
            allowed = ", ".join(str(InquiryStatus(s).label) for s in InquiryStatus
                                if s in INQUIRY_TRANSITIONS[inquiry.status])
            errors.add({"status": _("An inquiry that is %(now)s cannot become %(then)s "
                                    "(it can become: %(allowed)s).") % {
                "now": inquiry.get_status_display(), "then": InquiryStatus(status).label,
                "allowed": allowed or "—"}})
        elif status == InquiryStatus.FINDINGS_ISSUED and not inquiry.findings:
            errors.add({"status": _("Write the findings before issuing them.")})
        elif status == InquiryStatus.WITHDRAWN and not reason:
            errors.add({"reason": _("Say why the inquiry is withdrawn.")})
    before = inquiry.status
    with transaction.atomic():
        claim(inquiry, version, status=before)
        inquiry.status = status
        stamp = INQUIRY_STEP_DATES[status]
        setattr(inquiry, stamp, timezone.now())
        fields = ["status", stamp, "updated_at"]
        if reason:
            inquiry.reason = reason
            fields.append("reason")
        inquiry.save(update_fields=fields)
        record(actor, Action.UPDATE, inquiry, details={"status": [before, status],
                                                       "reason": bool(reason)})
    return inquiry


def check_recommendation(actor, inquiry_id: int, data: RecommendationInput,
                         version=None) -> tuple[Inquiry, str, Agency]:
    """Every mistake of a recommendation at once; the inquiry, the text and the agency."""
    inquiry = _inquiry(actor, inquiry_id, version)
    with collect() as errors:
        text = _text(errors, data.text, "text", limit=TEXT_MAX)
        agency = _agency(errors, actor, data.agency_id, "agency_id")
        if data.agency_id is None:
            errors.add({"agency_id": _("Choose the agency it is addressed to.")})
        if data.deadline is None:
            errors.add({"deadline": _("Give the deadline.")})
        elif data.deadline <= timezone.localdate():
            errors.add({"deadline": _("The deadline is a day after today.")})
        if inquiry.status != InquiryStatus.FINDINGS_ISSUED:
            errors.add({"status": _("Recommendations follow the findings: issue them first "
                                    "(and not after the inquiry is closed).")})
    return inquiry, text, agency


def recommend(actor, inquiry_id: int, data: RecommendationInput, version=None) -> Recommendation:
    """A recommendation to an agency of the jurisdiction, once the findings are issued."""
    inquiry, text, agency = check_recommendation(actor, inquiry_id, data, version)
    with transaction.atomic():
        claim(inquiry, version, status=InquiryStatus.FINDINGS_ISSUED)
        made = Recommendation.objects.create(inquiry=inquiry, agency=agency, text=text,
                                             deadline=data.deadline, created_by=actor)
        record(actor, Action.CREATE, made, details={
            "inquiry": inquiry.pk, "agency": agency.pk, "deadline": str(data.deadline)})
    return made


def check_answer(actor, recommendation_id: int, data: AnswerInput,
                 version=None) -> tuple[Recommendation, str]:
    """Every mistake of an answer at once; the recommendation and the answer's text."""
    require_capability(actor, OVERSEE)
    found = get_visible_or_404(Recommendation.objects.select_related("inquiry"), actor,
                               pk=recommendation_id)
    require(actor, CHANGE, found)
    check(found, version)
    with collect() as errors:
        text = _text(errors, data.answer, "answer", limit=TEXT_MAX)
        answered = {RecommendationStatus.ACCEPTED, RecommendationStatus.REJECTED,
                    RecommendationStatus.IMPLEMENTED}
        if data.status not in answered:
            errors.add({"status": _("Choose what the agency answered: %(codes)s.") % {
                "codes": ", ".join(sorted(answered))}})
        _past_date(errors, data.answered_on, "answered_on")
        if data.answered_on and data.answered_on < found.created_at.date():
            errors.add({"answered_on": _("The answer cannot come before the recommendation.")})
        if found.inquiry.status == InquiryStatus.WITHDRAWN:
            errors.add({"status": _("The inquiry is withdrawn.")})
    return found, text


def answer(actor, recommendation_id: int, data: AnswerInput, version=None) -> Recommendation:
    """The agency's answer, as its letter says: accepted, rejected or implemented (a later
    letter may move it on: accepted, then implemented)."""
    found, text = check_answer(actor, recommendation_id, data, version)
    before = found.status
    with transaction.atomic():
        claim(found, version)
        found.status, found.answer, found.answered_on = data.status, text, data.answered_on
        found.save(update_fields=["status", "answer", "answered_on"])
        record(actor, Action.UPDATE, found, details={
            "inquiry": found.inquiry_id, "status": [before, data.status],
            "answered_on": str(data.answered_on)})
    return found

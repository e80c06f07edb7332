"""The agreements register: memoranda of understanding and bilateral or regional agreements of
a jurisdiction, with their parties, scope, dates, status and documents. A coordinator records
and corrects their jurisdiction's (one of the parties); every write is audited; a correction
names the version it was built from (optimistic concurrency)."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE
from crossroads.access.policy import require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.countries import clean_country
from crossroads.validation import collect
from crossroads.versions import check, claim

from ..choices import STATUS_NEEDS, AgreementKind, AgreementScope, AgreementStatus
from ..models import Agreement, AgreementDocument, AgreementParty
from ..rules import MANAGE_REGISTERS

MAX_NOTES = 4000
MAX_PARTIES = 50
MAX_DOCUMENTS = 20


@dataclass
class PartyInput:
    country: str
    agency: str = ""


@dataclass
class DocumentInput:
    title: str
    reference: str = ""
    url: str = ""


@dataclass
class AgreementInput:
    title: str
    kind: str
    scope: list[str] = field(default_factory=list)
    scope_other: str = ""
    status: str = AgreementStatus.DRAFT
    signed_on: datetime.date | None = None
    in_force_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    parties: list[PartyInput] = field(default_factory=list)
    documents: list[DocumentInput] = field(default_factory=list)
    notes: str = ""


def _text(errors, name: str, value: str, limit: int, required: bool = False,
          message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add({name: message or _("This field is required.")})
    elif len(value) > limit:
        errors.add({name: _("At most %(n)d characters.") % {"n": limit}})
    return value


def _url(errors, name: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 500 \
            or any(c.isspace() for c in value):
        errors.add({name: _("An address beginning with https:// or http://.")})
    return value


def _dates(errors, data: AgreementInput) -> None:
    for name in STATUS_NEEDS.get(data.status, ()):
        if getattr(data, name) is None:
            errors.add({name: _("An agreement with the status “%(status)s” needs this date.")
                        % {"status": AgreementStatus(data.status).label}})
    if data.signed_on and data.signed_on > timezone.localdate():
        errors.add({"signed_on": _("This date is in the future.")})
    if data.in_force_on and data.signed_on and data.in_force_on < data.signed_on:
        errors.add({"in_force_on": _("An agreement enters into force after it is signed.")})
    start = data.in_force_on or data.signed_on
    if data.expires_on and start and data.expires_on <= start:
        errors.add({"expires_on": _("The expiry date must come after the start.")})
    if data.status == AgreementStatus.EXPIRED and data.expires_on and \
            data.expires_on >= timezone.localdate():
        errors.add({"expires_on": _("An expired agreement's expiry date has passed.")})
    if data.status == AgreementStatus.IN_FORCE and data.expires_on and \
            data.expires_on < timezone.localdate() and not errors.has("expires_on"):
        errors.add({"status": _("The agreement has expired: choose “Expired”.")})


def _parties(errors, actor, parties: list[PartyInput]) -> list[PartyInput]:
    cleaned, seen = [], set()
    for index, party in enumerate(parties[:MAX_PARTIES + 1]):
        where = f"parties.{index}"
        country = errors.check(clean_country, party.country, f"{where}.country", required=True)
        agency = _text(errors, f"{where}.agency", party.agency, 200)
        if country and (country, agency.casefold()) in seen:
            errors.add({where: _("This party is given twice.")})
        seen.add((country, agency.casefold()))
        if country:
            cleaned.append(PartyInput(country, agency))
    if len(parties) > MAX_PARTIES:
        errors.add({"parties": _("At most %(n)d parties.") % {"n": MAX_PARTIES}})
    countries = {p.country for p in cleaned}
    if len(parties) < 2:
        errors.add({"parties": _("An agreement has at least two parties.")})
    elif actor.jurisdiction_id not in countries and not errors.has("parties"):
        errors.add({"parties": _("Your jurisdiction (%(code)s) must be one of the parties.")
                    % {"code": actor.jurisdiction_id}})
    return cleaned


def _documents(errors, documents: list[DocumentInput]) -> list[DocumentInput]:
    cleaned = []
    if len(documents) > MAX_DOCUMENTS:
        errors.add({"documents": _("At most %(n)d documents.") % {"n": MAX_DOCUMENTS}})
    for index, doc in enumerate(documents[:MAX_DOCUMENTS]):
        where = f"documents.{index}"
        title = _text(errors, f"{where}.title", doc.title, 300, required=True)
        reference = _text(errors, f"{where}.reference", doc.reference, 200)
        url = _url(errors, f"{where}.url", doc.url)
        if title and not (reference or url):
            errors.add({where: _("Give the document's reference or its address.")})
        cleaned.append(DocumentInput(title, reference, url))
    return cleaned


def check_agreement(actor, data: AgreementInput) -> AgreementInput:
    """Every mistake of the input at once (ValidationError naming the fields); the input as
    it will be stored otherwise."""
    with collect() as errors:
        title = _text(errors, "title", data.title, 300, required=True,
                      message=_("Give the agreement's title."))
        if data.kind not in AgreementKind.values:
            errors.add({"kind": _("Choose one of: %(values)s.") % {
                "values": ", ".join(AgreementKind.values)}})
        scope = list(dict.fromkeys(data.scope or []))
        if not scope:
            errors.add({"scope": _("Choose at least one scope.")})
        elif any(s not in AgreementScope.values for s in scope):
            errors.add({"scope": _("Choose from: %(values)s.") % {
                "values": ", ".join(AgreementScope.values)}})
        scope_other = _text(errors, "scope_other", data.scope_other, 300,
                            required=AgreementScope.OTHER in scope,
                            message=_("Say what the other scope is."))
        if data.status not in AgreementStatus.values:
            errors.add({"status": _("Choose one of: %(values)s.") % {
                "values": ", ".join(AgreementStatus.values)}})
        else:
            _dates(errors, data)
        parties = _parties(errors, actor, data.parties or [])
        documents = _documents(errors, data.documents or [])
        notes = _text(errors, "notes", data.notes, MAX_NOTES)
    return AgreementInput(title, data.kind, scope, scope_other if AgreementScope.OTHER in scope
                          else "", data.status, data.signed_on, data.in_force_on,
                          data.expires_on, parties, documents, notes)


def _audited(agreement: Agreement, data: AgreementInput) -> dict:
    return {"title": agreement.title, "status": agreement.status, "scope": agreement.scope,
            "parties": [p.country for p in data.parties],
            **{f: getattr(agreement, f) and getattr(agreement, f).isoformat()
               for f in ("signed_on", "in_force_on", "expires_on")},
            "documents": len(data.documents)}


def _write(agreement: Agreement, data: AgreementInput) -> None:
    for name in ("title", "kind", "scope", "scope_other", "status", "signed_on", "in_force_on",
                 "expires_on", "notes"):
        setattr(agreement, name, getattr(data, name))
    agreement.updated_at = timezone.now()
    agreement.save()
    agreement.parties.all().delete()
    agreement.documents.all().delete()
    AgreementParty.objects.bulk_create([AgreementParty(agreement=agreement, country=p.country,
                                                       agency=p.agency) for p in data.parties])
    AgreementDocument.objects.bulk_create([
        AgreementDocument(agreement=agreement, title=d.title, reference=d.reference, url=d.url)
        for d in data.documents])


def record_agreement(actor, data: AgreementInput) -> Agreement:
    """A coordinator records an agreement of their jurisdiction."""
    require_capability(actor, MANAGE_REGISTERS)
    data = check_agreement(actor, data)
    with transaction.atomic():
        agreement = Agreement(jurisdiction_id=actor.jurisdiction_id, created_by=actor)
        _write(agreement, data)
        record(actor, Action.CREATE, agreement, details=_audited(agreement, data))
    return agreement


def update_agreement(actor, agreement: Agreement, data: AgreementInput, *,
                     version: int | tuple[int, ...] | None = None) -> Agreement:
    """Correct an agreement or move its status; with `version`, a change built from an older
    read is refused (StaleVersion) and nothing is written."""
    require_capability(actor, MANAGE_REGISTERS)
    require(actor, CHANGE, agreement)
    check(agreement, version)
    data = check_agreement(actor, data)
    with transaction.atomic():
        claim(agreement, version)
        _write(agreement, data)
        record(actor, Action.UPDATE, agreement, details=_audited(agreement, data))
    return agreement

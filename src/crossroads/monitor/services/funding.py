"""Funding lines: one year's allocation from a source (the national budget, EU IPA, a named
donor) to a shelter, an NGO or a programme, with what was needed, allocated and spent, each
amount in an ISO 4217 currency (EUR unless said). Coordinators record their jurisdiction's;
every write is audited; a correction names the version it was built from."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE, VIEW
from crossroads.access.policy import require, require_capability, restrict
from crossroads.assistance.models import Shelter
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.validation import collect
from crossroads.versions import check, claim

from ..choices import DEFAULT_CURRENCY, FundingSource, RecipientKind
from ..models import FundingLine
from ..rules import MANAGE_REGISTERS
from .agreements import _text

MAX_AMOUNT = Decimal("999999999999.99")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class FundingInput:
    year: int | None
    source: str
    recipient_kind: str
    allocated: Decimal | None
    evidence: str
    donor: str = ""
    shelter: int | None = None
    recipient: str = ""
    currency: str = DEFAULT_CURRENCY
    needed: Decimal | None = None
    spent: Decimal | None = None
    notes: str = ""


def currency_code(value: str) -> str | None:
    """The ISO 4217 code in capitals, or None for a code that is not one."""
    value = (value or "").strip().upper()
    return value if len(value) == 3 and pycountry.currencies.get(alpha_3=value) else None


def _amount(errors, name: str, value, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors.add({name: _("Give the amount.")})
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add({name: _("A number, such as 12500.00.")})
        return None
    if not amount.is_finite() or amount < 0:
        errors.add({name: _("An amount cannot be negative.")})
    elif amount > MAX_AMOUNT:
        errors.add({name: _("At most %(max)s.") % {"max": MAX_AMOUNT}})
    elif amount != amount.quantize(Decimal("0.01")):
        errors.add({name: _("At most two decimals.")})
    else:
        return amount
    return None


def check_funding(actor, data: FundingInput) -> dict:
    """Every mistake of the input at once; the fields to store otherwise."""
    with collect() as errors:
        if not isinstance(data.year, int) or not FIRST_YEAR <= data.year <= LAST_YEAR:
            errors.add({"year": _("A year from %(first)s to %(last)s.") % {
                "first": FIRST_YEAR, "last": LAST_YEAR}})
        if data.source not in FundingSource.values:
            errors.add({"source": _("Choose one of: %(values)s.") % {
                "values": ", ".join(FundingSource.values)}})
        donor = _text(errors, "donor", data.donor, 200, required=data.source ==
                      FundingSource.DONOR, message=_("Name the donor."))
        shelter = None
        if data.recipient_kind not in RecipientKind.values:
            errors.add({"recipient_kind": _("Choose one of: %(values)s.") % {
                "values": ", ".join(RecipientKind.values)}})
        elif data.recipient_kind == RecipientKind.SHELTER:
            shelter = restrict(Shelter.objects.all(), actor, VIEW).filter(
                pk=data.shelter, agency__jurisdiction_id=actor.jurisdiction_id).first() \
                if data.shelter else None
            if shelter is None:
                errors.add({"shelter": _("Choose a shelter of your jurisdiction.")})
        recipient = "" if shelter else _text(
            errors, "recipient", data.recipient, 200,
            required=data.recipient_kind in (RecipientKind.NGO, RecipientKind.PROGRAMME),
            message=_("Name the NGO or the programme."))
        currency = currency_code(data.currency or DEFAULT_CURRENCY)
        if currency is None:
            errors.add({"currency": _("Unknown currency: use an ISO 4217 code such as EUR.")})
        allocated = _amount(errors, "allocated", data.allocated, required=True)
        needed = _amount(errors, "needed", data.needed)
        spent = _amount(errors, "spent", data.spent)
        evidence = _text(errors, "evidence", data.evidence, 300, required=True,
                         message=_("Name the document the figures come from (budget law, "
                                   "grant agreement, financial report)."))
        notes = _text(errors, "notes", data.notes, 4000)
    return {"year": data.year, "source": data.source, "donor": donor,
            "recipient_kind": data.recipient_kind, "shelter": shelter, "recipient": recipient,
            "currency": currency, "needed": needed, "allocated": allocated,
            "spent": spent or Decimal("0"), "evidence": evidence, "notes": notes}


def _audited(line: FundingLine) -> dict:
    return {"year": line.year, "source": line.source, "donor": line.donor,
            "recipient_kind": line.recipient_kind, "shelter": line.shelter_id,
            "recipient": line.recipient, "currency": line.currency,
            **{name: None if getattr(line, name) is None else str(getattr(line, name))
               for name in ("needed", "allocated", "spent")}}


def record_funding(actor, data: FundingInput) -> FundingLine:
    require_capability(actor, MANAGE_REGISTERS)
    values = check_funding(actor, data)
    with transaction.atomic():
        line = FundingLine.objects.create(jurisdiction_id=actor.jurisdiction_id,
                                          created_by=actor, **values)
        record(actor, Action.CREATE, line, details=_audited(line))
    return line


def update_funding(actor, line: FundingLine, data: FundingInput, *,
                   version: int | tuple[int, ...] | None = None) -> FundingLine:
    require_capability(actor, MANAGE_REGISTERS)
    require(actor, CHANGE, line)
    check(line, version)
    values = check_funding(actor, data)
    with transaction.atomic():
        claim(line, version)
        for name, value in values.items():
            setattr(line, name, value)
        line.updated_at = timezone.now()
        line.save()
        record(actor, Action.UPDATE, line, details=_audited(line))
    return line

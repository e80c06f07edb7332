"""Call-detail records (CSV) into a case's network through a column mapping: each row becomes
an FtM Call between the entities that carry the two numbers (an unidentified `LegalEntity`
per number nobody in the case carries yet). A preview parses without writing; either way the
answer names every rejected row and why; an import writes the good rows only."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from followthemoney import registry

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import Case

from .. import proxies
from ..choices import SelectorKind
from ..models import Entity, Link, Selector
from ..signals import announce_selectors
from . import uploads
from .entities import clean_source, entity_row, link_row, new_id, selector_rows, writable_case

MAX_ROWS = 100_000
CDR_MAX_BYTES = 20 * 1024 * 1024


def read_upload(content: bytes) -> str:
    """The uploaded file as text (read with one byte over the limit, to refuse it)."""
    if len(content) > CDR_MAX_BYTES:
        raise ValidationError({"file": _("At most %(n)d MB per file.") % {
            "n": CDR_MAX_BYTES // (1024 * 1024)}})
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The file is not UTF-8 text.")}) from None


@dataclass
class CdrMapping:
    caller: str
    receiver: str
    start: str
    duration: str = ""


@dataclass
class CdrRow:
    row: int
    caller: str
    receiver: str
    start: str
    duration: str = ""


@dataclass
class CdrResult:
    rows: list[CdrRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"row", "column", "msg"}
    calls: int = 0
    new_entities: int = 0


def _mapping_errors(mapping: CdrMapping, header: list[str]) -> dict:
    return {name: [_("The file has no column %(column)s.") % {"column": column}]
            for name, column in vars(mapping).items() if column and column not in header}


def parse(case: Case, text: str, mapping: CdrMapping) -> CdrResult:
    reader = csv.DictReader(io.StringIO(text))
    errors = _mapping_errors(mapping, reader.fieldnames or [])
    if errors:
        raise ValidationError(errors)
    result = CdrResult()
    region = case.jurisdiction_id
    for number, line in enumerate(reader, start=2):  # row 1 is the header
        if number - 1 > MAX_ROWS:
            raise ValidationError({"file": _("At most %(n)d rows per file.") % {"n": MAX_ROWS}})
        values, problems = {}, []
        for name in ("caller", "receiver"):
            raw = (line.get(getattr(mapping, name)) or "").strip()
            values[name] = proxies.normal_phone(raw, region)
            if not values[name]:
                problems.append((getattr(mapping, name), _("%(value)s is not a valid phone "
                                                            "number.") % {"value": raw}))
        raw_start = (line.get(mapping.start) or "").strip()
        values["start"] = registry.date.clean(raw_start)
        if not values["start"]:
            problems.append((mapping.start, _("%(value)s is not a date.") % {"value": raw_start}))
        values["duration"] = (line.get(mapping.duration) or "").strip() if mapping.duration else ""
        if values["duration"] and not values["duration"].isdigit():
            problems.append((mapping.duration, _("Give the duration in whole seconds.")))
        if problems:
            result.errors.extend({"row": number, "column": column, "msg": msg}
                                 for column, msg in problems)
        else:
            result.rows.append(CdrRow(number, **values))
    return result


def preview_cdr(actor, case: Case, text: str, mapping: CdrMapping) -> CdrResult:
    writable_case(actor, case)
    return parse(case, text, mapping)


def _phone_digest(phone: str) -> str:
    return proxies.selector_digest(SelectorKind.PHONE, phone)


def _holders(case: Case, phones: set[str]) -> dict[str, Entity]:
    """The case's entity carrying each number already (the first one, by id)."""
    by_digest = {_phone_digest(p): p for p in phones}
    found: dict[str, Entity] = {}
    for selector in (Selector.objects.filter(entity__case=case, kind=SelectorKind.PHONE,
                                             digest__in=list(by_digest))
                     .select_related("entity").order_by("entity_id")):
        found.setdefault(by_digest[selector.digest], selector.entity)
    return found


def import_cdr(actor, case: Case, text: str, mapping: CdrMapping, *, source: str) -> CdrResult:
    writable_case(actor, case)
    source = clean_source(source)
    result = parse(case, text, mapping)
    phones = {p for row in result.rows for p in (row.caller, row.receiver)}
    with transaction.atomic():
        holders = _holders(case, phones)
        created = []
        for phone in sorted(phones - set(holders)):
            checked = proxies.check_node({"id": new_id(case), "schema": "LegalEntity",
                                          "properties": {"name": [phone], "phone": [phone]}},
                                         case.jurisdiction_id)
            entity = entity_row(actor, case, checked, source)
            entity.save()
            Selector.objects.bulk_create(selector_rows(entity, checked))
            holders[phone] = entity
            created.append(entity.pk)
        announce_selectors(created)
        result.new_entities = len(created)
        calls = []
        for row in result.rows:
            caller, receiver = holders[row.caller], holders[row.receiver]
            properties = {"caller": [caller.ftm_id], "receiver": [receiver.ftm_id],
                          "callerNumber": [row.caller], "receiverNumber": [row.receiver],
                          "startDate": [row.start]}
            if row.duration:
                properties["duration"] = [row.duration]
            checked, *_ends = proxies.check_link({"id": new_id(case), "schema": "Call",
                                                  "properties": properties},
                                                 case.jurisdiction_id)
            calls.append(link_row(actor, case, checked, source, (caller, receiver)))
        Link.objects.bulk_create(calls, batch_size=2000)
        result.calls = len(calls)
        record(actor, Action.CREATE, case, object_type="networks.import", details={
            "case": case.pk, "source": source, "format": "cdr", "calls": result.calls,
            "entities": result.new_entities, "rejected_rows": len({e["row"] for e in result.errors})})
    return result


def preview_cdr_upload(actor, case: Case, content: bytes, mapping: CdrMapping
                       ) -> tuple[CdrResult, str]:
    """A page's preview: the parse, and the file sealed under a token, so that the import that
    follows takes the very file previewed without a second upload."""
    result = preview_cdr(actor, case, read_upload(content), mapping)
    return result, uploads.seal_bytes(content, "call records")


def import_cdr_previewed(actor, case: Case, token: str, mapping: CdrMapping, *, source: str
                         ) -> CdrResult:
    """The previewed file (by its token) imported; its sealed copy removed once written."""
    writable_case(actor, case)
    result = import_cdr(actor, case, read_upload(uploads.unseal(token)), mapping, source=source)
    uploads.remove(token)
    return result

"""Call-detail records (CSV) into a case's network through a column mapping (`csvmap`): each
row becomes an FtM Call between the entities that carry the two numbers (an unidentified
`LegalEntity` per number nobody in the case carries yet)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from followthemoney import registry

from crossroads.registry.models import Case

from .. import proxies
from ..choices import SelectorKind
from ..models import Link
from . import csvmap

CDR_MAX_BYTES = csvmap.MAX_BYTES
read_upload = csvmap.read_upload


@dataclass
class CdrMapping:
    caller: str
    receiver: str
    start: str
    duration: str = ""


class CdrResult(csvmap.CsvResult):
    @property
    def calls(self) -> int:
        return self.links


class CallRecords(csvmap.CsvKind):
    slug, fmt, seal_name = "cdr", "cdr", "call records"
    result_class = CdrResult

    def read(self, cells: csvmap.Cells, case: Case) -> dict:
        values = {}
        for name in ("caller", "receiver"):
            raw = cells.raw(name)
            values[name] = proxies.normal_phone(raw, case.jurisdiction_id)
            if not values[name]:
                cells.reject(name, _("%(value)s is not a valid phone number.") % {"value": raw})
        raw_start = cells.raw("start")
        values["start"] = registry.date.clean(raw_start)
        if not values["start"]:
            cells.reject("start", _("%(value)s is not a date.") % {"value": raw_start})
        values["duration"] = cells.raw("duration")
        if values["duration"] and not values["duration"].isdigit():
            cells.reject("duration", _("Give the duration in whole seconds."))
        return values

    def write(self, actor, case: Case, result: csvmap.CsvResult, source: str) -> dict:
        phones = {p for row in result.rows for p in (row["caller"], row["receiver"])}
        holders = csvmap.carriers(case, SelectorKind.PHONE, phones)
        for phone in sorted(phones - set(holders)):
            holders[phone] = csvmap.add_node(actor, case, "LegalEntity",
                                             {"name": [phone], "phone": [phone]}, source,
                                             result)
        calls = []
        for row in result.rows:
            caller, receiver = holders[row["caller"]], holders[row["receiver"]]
            properties = {"caller": [caller.ftm_id], "receiver": [receiver.ftm_id],
                          "callerNumber": [row["caller"]], "receiverNumber": [row["receiver"]],
                          "startDate": [row["start"]]}
            if row["duration"]:
                properties["duration"] = [row["duration"]]
            calls.append(csvmap.link_of(actor, case, "Call", properties, source,
                                        (caller, receiver)))
        Link.objects.bulk_create(calls, batch_size=2000)
        result.links = len(calls)
        return {"calls": result.links}


CALL_RECORDS = CallRecords()


def preview_cdr(actor, case: Case, text: str, mapping: CdrMapping) -> CdrResult:
    return csvmap.preview(CALL_RECORDS, actor, case, text, vars(mapping))


def import_cdr(actor, case: Case, text: str, mapping: CdrMapping, *, source: str) -> CdrResult:
    return csvmap.import_csv(CALL_RECORDS, actor, case, text, vars(mapping), source=source)


def preview_cdr_upload(actor, case: Case, content: bytes, mapping: CdrMapping
                       ) -> tuple[CdrResult, str]:
    return csvmap.preview_upload(CALL_RECORDS, actor, case, content, vars(mapping))


def import_cdr_previewed(actor, case: Case, token: str, mapping: CdrMapping, *, source: str
                         ) -> CdrResult:
    return csvmap.import_previewed(CALL_RECORDS, actor, case, token, vars(mapping),
                                   source=source)

"""CSV files into a case's network through a column mapping (`choices.CSV_COLUMNS`): call
records and bank statements share this path. A blank field is guessed from the header; every
row is read by its kind into plain values or rejected with the column and the reason; a
preview writes nothing; an import writes the good rows only, in one transaction, audited. A
page's preview seals the file so that the import takes the very file previewed."""

import csv
import io
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import Case
from crossroads.text import FORMULA_STARTS, clean_text, hidden_character

from .. import proxies
from ..choices import CSV_COLUMNS
from ..models import Entity, Selector
from ..signals import announce_selectors
from . import uploads
from .entities import clean_source, entity_row, link_row, new_id, selector_rows, writable_case

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class CsvResult:
    mapping: dict[str, str] = field(default_factory=dict)  # field: the column read (guesses in)
    rows: list[dict] = field(default_factory=list)  # {"row": N, field: value}
    errors: list[dict] = field(default_factory=list)  # {"row", "column", "msg"}
    links: int = 0  # links written (calls, payments)
    created: list[int] = field(default_factory=list)  # ids of the entities the import added
    skipped: int = 0  # rows the case holds already (a file imported again)

    @property
    def new_entities(self) -> int:
        return len(self.created)

    @property
    def rejected(self) -> int:
        return len({e["row"] for e in self.errors})


class Cells:
    """One row's cells by mapping field; `problems` collects (column, message)."""

    def __init__(self, line: dict, mapping: dict[str, str]):
        self.line, self.mapping, self.problems = line, mapping, []

    def column(self, name: str) -> str:
        return self.mapping.get(name) or name

    def raw(self, name: str) -> str:
        column = self.mapping.get(name)
        return (self.line.get(column) or "").strip() if column else ""

    def reject(self, name: str, message: str) -> None:
        self.problems.append((self.column(name), message))

    def text(self, name: str) -> str:
        """Free text (a name, a purpose): refused with a NUL or an invisible character, or
        when a spreadsheet would read it as a formula."""
        value = self.raw(name)
        hidden = hidden_character(value)
        if hidden:
            self.reject(name, _("The text holds an invisible character (%(code)s).") % {
                "code": hidden})
            return ""
        if value[:1] in FORMULA_STARTS:
            self.reject(name, _("The text starts like a spreadsheet formula."))
            return ""
        return clean_text(value)[:500]


class CsvKind(ABC):
    """What a kind of file makes: `read` one row into values (or problems in `cells`),
    `write` the good rows into the case (counts into the result)."""

    slug = ""
    fmt = ""  # as the audit names it
    seal_name = ""
    result_class = CsvResult

    @property
    def columns(self):
        return CSV_COLUMNS[self.slug]

    def mapping_errors(self, mapping: dict[str, str]) -> dict[str, list[str]]:
        return {}

    @abstractmethod
    def read(self, cells: Cells, case: Case) -> dict: ...

    @abstractmethod
    def write(self, actor, case: Case, result: CsvResult, source: str) -> dict: ...


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def complete(kind: CsvKind, mapping: dict[str, str], header: list[str]) -> dict[str, str]:
    """The mapping with every blank field that has guesses taken from the header."""
    by_name = {_folded(h): h for h in reversed(header) if h}
    done = {}
    for column in kind.columns:
        given = (mapping.get(column.name) or "").strip()
        if not given:
            given = next((by_name[g] for g in column.guesses if g in by_name), "")
        done[column.name] = given
    return done


def _mapping_errors(kind: CsvKind, mapping: dict[str, str], header: list[str]) -> dict:
    errors = {}
    for column in kind.columns:
        given = mapping[column.name]
        if given and given not in header:
            errors[column.name] = [_("The file has no column %(column)s.") % {"column": given}]
        elif column.required and not given:
            errors[column.name] = [_("Name the column that holds this; the header has no "
                                     "usual name for it.")]
    return errors or kind.mapping_errors(mapping)


def read_upload(content: bytes) -> str:
    """The uploaded file as text (read with one byte over the limit, to refuse it)."""
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("At most %(n)d MB per file.") % {
            "n": MAX_BYTES // (1024 * 1024)}})
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The file is not UTF-8 text.")}) from None


def parse(kind: CsvKind, case: Case, text: str, mapping: dict[str, str]) -> CsvResult:
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
        mapping = complete(kind, mapping, header)
        errors = _mapping_errors(kind, mapping, header)
        if errors:
            raise ValidationError(errors)
        result = kind.result_class(mapping=mapping)
        for number, line in enumerate(reader, start=2):  # row 1 is the header
            if number - 1 > MAX_ROWS:
                raise ValidationError({"file": _("At most %(n)d rows per file.") % {
                    "n": MAX_ROWS}})
            cells = Cells(line, mapping)
            values = kind.read(cells, case)
            if cells.problems:
                result.errors.extend({"row": number, "column": column, "msg": msg}
                                     for column, msg in cells.problems)
            else:
                result.rows.append({"row": number, **values})
    except csv.Error:
        raise ValidationError({"file": _("The file is not a CSV file.")}) from None
    return result


def preview(kind: CsvKind, actor, case: Case, text: str, mapping: dict[str, str]) -> CsvResult:
    writable_case(actor, case)
    return parse(kind, case, text, mapping)


def import_csv(kind: CsvKind, actor, case: Case, text: str, mapping: dict[str, str], *,
               source: str) -> CsvResult:
    writable_case(actor, case)
    source = clean_source(source)
    result = parse(kind, case, text, mapping)
    with transaction.atomic():
        counts = kind.write(actor, case, result, source)
        announce_selectors(result.created)
        record(actor, Action.CREATE, case, object_type="networks.import", details={
            "case": case.pk, "source": source, "format": kind.fmt, **counts,
            "entities": result.new_entities, "rejected_rows": result.rejected})
    return result


def preview_upload(kind: CsvKind, actor, case: Case, content: bytes, mapping: dict[str, str]
                   ) -> tuple[CsvResult, str]:
    """A page's preview: the parse, and the file sealed under a token, so that the import that
    follows takes the very file previewed without a second upload."""
    result = preview(kind, actor, case, read_upload(content), mapping)
    return result, uploads.seal_bytes(content, kind.seal_name)


def import_previewed(kind: CsvKind, actor, case: Case, token: str, mapping: dict[str, str], *,
                     source: str) -> CsvResult:
    """The previewed file (by its token) imported; its sealed copy removed once written."""
    writable_case(actor, case)
    result = import_csv(kind, actor, case, read_upload(uploads.unseal(token)), mapping,
                        source=source)
    uploads.remove(token)
    return result


# Helpers of the kinds' writes.

def carriers(case: Case, kind: str, values: set[str], schema: str = "") -> dict[str, Entity]:
    """The case's entity carrying each (normalised) selector value already (the first, by id)."""
    by_digest = {proxies.selector_digest(kind, proxies.selector_value(kind, v)): v
                 for v in values}
    rows = Selector.objects.filter(entity__case=case, kind=kind, digest__in=list(by_digest))
    if schema:
        rows = rows.filter(entity__schema=schema)
    found: dict[str, Entity] = {}
    for selector in rows.select_related("entity").order_by("entity_id"):
        found.setdefault(by_digest[selector.digest], selector.entity)
    return found


def add_node(actor, case: Case, schema: str, properties: dict, source: str,
             result: CsvResult) -> Entity:
    """A new entity of the case (checked as FtM) with its selectors, counted in `result`
    (whose entities are offered to the exchange once the import commits)."""
    checked = proxies.check_node({"id": new_id(case), "schema": schema,
                                  "properties": properties}, case.jurisdiction_id)
    entity = entity_row(actor, case, checked, source)
    entity.save()
    Selector.objects.bulk_create(selector_rows(entity, checked))
    result.created.append(entity.pk)
    return entity


def link_of(actor, case: Case, schema: str, properties: dict, source: str,
            ends: tuple[Entity, Entity], ftm_id: str = ""):
    """An unsaved link of the case (checked as FtM) between two of its entities."""
    checked, *_ends = proxies.check_link({"id": ftm_id or new_id(case), "schema": schema,
                                          "properties": properties}, case.jurisdiction_id)
    return link_row(actor, case, checked, source, ends)

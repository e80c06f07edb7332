"""Bank statements (CSV) into a case's network through a column mapping (`csvmap`): each row
becomes an FtM Payment between the holders of the statement's account and of the
counterparty (payer and beneficiary by the amount's sign), with their `BankAccount`s. One
BankAccount per IBAN in a case (found by its IBAN selector, so two statements paying the same
account meet there), tied to its holder by an `Ownership`; a holder is the case's entity of
that name, or a new `LegalEntity`. A payment's id comes from the row's content, so the same
statement imported again adds nothing."""

import datetime
import re
from collections import Counter
from decimal import Decimal, InvalidOperation

import pycountry
from django.utils.translation import gettext as _
from followthemoney import registry
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from crossroads.registry import blind_index
from crossroads.registry.models import Case

from ..choices import SelectorKind
from ..models import Entity, Link
from . import csvmap

HOLDER_SCHEMATA = ("Person", "Company", "Organization", "LegalEntity")
DAY_FIRST = ("%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
AMOUNT_COLUMNS = ("amount", "debit", "credit")


class BankResult(csvmap.CsvResult):
    @property
    def payments(self) -> int:
        return self.links


def _date(raw: str) -> str | None:
    """An FtM date: ISO as FtM reads it, or a day-first date as statements of the region
    print it (14.03.2026)."""
    value = registry.date.clean(raw)
    if value:
        return value
    for fmt in DAY_FIRST:
        try:
            return datetime.datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _amount(raw: str) -> Decimal | None:
    """1234.56, -1,234.56, 1.234,56 or 1 234,56 (the last separator is the decimal one)."""
    text = raw.replace(" ", "").replace("\u00a0", "").replace("'", "")
    if "," in text and "." in text:
        thousands = "." if text.rindex(",") > text.rindex(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    if not NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _iban(raw: str) -> str | None:
    try:
        return stdnum_iban.validate(raw)
    except StdnumError:
        return None


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


class BankStatements(csvmap.CsvKind):
    slug, fmt, seal_name = "bank", "bank statement", "bank statement"
    result_class = BankResult

    def mapping_errors(self, mapping: dict[str, str]) -> dict[str, list[str]]:
        if mapping["amount"]:
            mapping["debit"] = mapping["credit"] = ""  # a signed amount wins over guesses
        elif not (mapping["debit"] or mapping["credit"]):
            return {"amount": [_("Name the column of the signed amount, or the debit and "
                                 "credit columns.")]}
        return {}

    def read(self, cells: csvmap.Cells, case: Case) -> dict:
        values = {"date": _date(cells.raw("date")), "amount": self._signed(cells)}
        if not values["date"]:
            cells.reject("date", _("%(value)s is not a date.") % {"value": cells.raw("date")})
        currency = cells.raw("currency").upper()
        if len(currency) != 3 or pycountry.currencies.get(alpha_3=currency) is None:
            cells.reject("currency", _("%(value)s is not an ISO 4217 currency.") % {
                "value": cells.raw("currency")})
        values["currency"] = currency
        values["account"] = _iban(cells.raw("account"))
        if not values["account"]:
            cells.reject("account", _("%(value)s is not a valid IBAN.") % {
                "value": cells.raw("account")})
        values["counterparty_iban"] = ""
        if cells.raw("counterparty_iban"):
            values["counterparty_iban"] = _iban(cells.raw("counterparty_iban")) or ""
            if not values["counterparty_iban"]:
                cells.reject("counterparty_iban", _("%(value)s is not a valid IBAN.") % {
                    "value": cells.raw("counterparty_iban")})
        for name in ("holder", "counterparty", "purpose"):
            values[name] = cells.text(name)
        if not (values["counterparty"] or values["counterparty_iban"]
                or cells.raw("counterparty")):
            cells.reject("counterparty", _("Name the counterparty or give its IBAN."))
        return values

    def _signed(self, cells: csvmap.Cells) -> str:
        if cells.mapping["amount"]:
            amount = _amount(cells.raw("amount"))
            name = "amount"
        else:
            given = [(n, cells.raw(n)) for n in ("debit", "credit") if cells.raw(n)]
            if len(given) != 1:
                cells.reject("debit" if cells.mapping["debit"] else "credit",
                             _("Give the debit or the credit, one of them."))
                return ""
            name, raw = given[0]
            amount = _amount(raw)
            if amount is not None:
                amount = -abs(amount) if name == "debit" else abs(amount)
        if amount is None or not amount.is_finite():
            cells.reject(name, _("%(value)s is not an amount.") % {"value": cells.raw(name)})
            return ""
        if amount == 0:
            cells.reject(name, _("An amount of zero is no payment."))
            return ""
        return _plain(amount)

    def write(self, actor, case: Case, result: csvmap.CsvResult, source: str) -> dict:
        writer = _Writer(actor, case, source, result)
        ids = _payment_ids(case, result.rows)
        held = set(Link.objects.filter(case=case, ftm_id__in=list(ids.values()))
                   .values_list("ftm_id", flat=True))
        payments = []
        for row in result.rows:
            if ids[row["row"]] in held:
                result.skipped += 1
                continue
            own = writer.account(row["account"], row["holder"])
            other_account = (writer.account(row["counterparty_iban"], row["counterparty"])
                             if row["counterparty_iban"] else None)
            other = writer.holder_of(other_account) if other_account else writer.named(
                row["counterparty"])
            if row["amount"].startswith("-"):
                payer, beneficiary = (writer.holder_of(own), own), (other, other_account)
            else:
                payer, beneficiary = (other, other_account), (writer.holder_of(own), own)
            properties = {"payer": [payer[0].ftm_id], "beneficiary": [beneficiary[0].ftm_id],
                          "amount": [row["amount"].lstrip("-")], "currency": [row["currency"]],
                          "date": [row["date"]]}
            if payer[1]:
                properties["payerAccount"] = [payer[1].ftm_id]
            if beneficiary[1]:
                properties["beneficiaryAccount"] = [beneficiary[1].ftm_id]
            if row["purpose"]:
                properties["purpose"] = [row["purpose"]]
            payments.append(csvmap.link_of(actor, case, "Payment", properties, source,
                                           (payer[0], beneficiary[0]), ids[row["row"]]))
        Link.objects.bulk_create(writer.ownerships + payments, batch_size=2000)
        result.links = len(payments)
        return {"payments": result.links, "accounts": writer.new_accounts,
                "already_held": result.skipped}


def _payment_ids(case: Case, rows: list[dict]) -> dict[int, str]:
    """A stable id per row: a keyed digest of its content and of how many identical rows came
    before it in the file (two equal transfers on one day are two payments)."""
    seen: Counter = Counter()
    ids = {}
    for row in rows:
        content = "|".join([row["account"], row["counterparty_iban"],
                            row["counterparty"].casefold(), row["date"], row["amount"],
                            row["currency"], row["purpose"]])
        seen[content] += 1
        ids[row["row"]] = (f"{case.reference.lower()}-payment-"
                           f"{blind_index.digest('net-payment', f'{content}|{seen[content]}')}")
    return ids


class _Writer:
    """The accounts and holders of one import, found in the case or made once."""

    def __init__(self, actor, case: Case, source: str, result: csvmap.CsvResult):
        self.actor, self.case, self.source, self.result = actor, case, source, result
        ibans = {r["account"] for r in result.rows} | {r["counterparty_iban"]
                                                       for r in result.rows} - {""}
        self.accounts = csvmap.carriers(case, SelectorKind.IBAN, ibans, schema="BankAccount")
        self.owners = {link.target_entity_id: link.source_entity for link in Link.objects.filter(
            case=case, schema="Ownership", target_entity__in=list(self.accounts.values()))
            .select_related("source_entity").order_by("-pk")}
        self.names: dict[str, Entity] | None = None
        self.ownerships: list[Link] = []
        self.new_accounts = 0

    def _new(self, schema: str, properties: dict) -> Entity:
        return csvmap.add_node(self.actor, self.case, schema, properties, self.source,
                               self.result)

    def named(self, name: str) -> Entity:
        """The case's holder of this name (the first, by id), or a new LegalEntity."""
        if self.names is None:
            self.names = {}
            for entity in Entity.objects.filter(case=self.case, schema__in=HOLDER_SCHEMATA
                                                ).order_by("pk"):
                for value in entity.properties.get("name", []):
                    self.names.setdefault(value.casefold(), entity)
        key = name.casefold()
        if key not in self.names:
            self.names[key] = self._new("LegalEntity", {"name": [name]})
        return self.names[key]

    def account(self, iban: str, holder: str) -> Entity:
        if iban not in self.accounts:
            account = self.accounts[iban] = self._new("BankAccount", {"iban": [iban]})
            self.new_accounts += 1
            self._own(account, holder or iban)
        return self.accounts[iban]

    def holder_of(self, account: Entity) -> Entity:
        if account.pk not in self.owners:  # an account of the case nobody owns yet
            self._own(account, (account.properties.get("iban") or [account.ftm_id])[0])
        return self.owners[account.pk]

    def _own(self, account: Entity, holder: str) -> None:
        owner = self.owners[account.pk] = self.named(holder)
        self.ownerships.append(csvmap.link_of(
            self.actor, self.case, "Ownership", {"owner": [owner.ftm_id],
                                                 "asset": [account.ftm_id]}, self.source,
            (owner, account)))


BANK_STATEMENTS = BankStatements()


def preview_statement(actor, case: Case, text: str, mapping: dict[str, str]) -> BankResult:
    return csvmap.preview(BANK_STATEMENTS, actor, case, text, mapping)


def import_statement(actor, case: Case, text: str, mapping: dict[str, str], *, source: str
                     ) -> BankResult:
    return csvmap.import_csv(BANK_STATEMENTS, actor, case, text, mapping, source=source)

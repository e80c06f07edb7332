"""Vocabularies of networks: the FollowTheMoney schemata a case's network holds, the two ends
of each link schema, the selectors indexed for matching, and who may work on a network."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import Role

# Entities (nodes): FtM schemata of persons, fronts (bars, recruitment and travel agencies,
# transport firms), places, vehicles, accounts and online profiles. `LegalEntity` is the
# subscriber of a number seen in call records whom nobody has identified yet.
NODE_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Address", "Vehicle",
                 "BankAccount", "UserAccount")

# Links: FtM interval schemata, each with the properties that hold its two ends (FtM's own
# edge definition where the schema has one; for Call, Message and Trip the parties).
LINK_ENDS = {
    "Associate": ("person", "associate"),
    "Family": ("person", "relative"),
    "Membership": ("member", "organization"),
    "Employment": ("employee", "employer"),
    "Ownership": ("owner", "asset"),
    "Payment": ("payer", "beneficiary"),
    "Call": ("caller", "receiver"),
    "Message": ("sender", "recipients"),
    "Trip": ("involved", "vehicle"),
}

# Investigators and prosecutors only: case workers, NGOs, focal points, coordinators and
# break-glass holders never reach suspects' networks.
NETWORK_ROLES = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR})


class SelectorKind(models.TextChoices):
    """Values that identify an entity across cases, indexed as keyed hashes."""

    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    IBAN = "iban", _("IBAN")
    PLATE = "plate", _("Number plate")
    DOCUMENT = "document", _("Identity document")
    COMPANY_NUMBER = "company_number", _("Company number")


# Which properties feed which selector (every other property is kept, never indexed).
SELECTOR_PROPERTIES = {
    "phone": SelectorKind.PHONE, "callerNumber": SelectorKind.PHONE,
    "receiverNumber": SelectorKind.PHONE,
    "email": SelectorKind.EMAIL,
    "iban": SelectorKind.IBAN,
    "idNumber": SelectorKind.DOCUMENT, "passportNumber": SelectorKind.DOCUMENT,
    "registrationNumber": SelectorKind.COMPANY_NUMBER, "taxNumber": SelectorKind.COMPANY_NUMBER,
}
# A vehicle's registration number is its plate, not a company number.
VEHICLE_PLATE = "registrationNumber"


class Verdict(models.TextChoices):
    """An investigator's judgement on a candidate pair; kept, and respected on every re-run."""

    SAME = "same", _("Same")
    DIFFERENT = "different", _("Different")
    UNSURE = "unsure", _("Unsure")


class CsvColumn:
    """One field of a CSV mapping: which column of the file holds it. A blank field is guessed
    from the header (names compared without case, spaces, dots, dashes or underscores)."""

    def __init__(self, name: str, label, *, required: bool = True, initial: str = "",
                 guesses: tuple[str, ...] = (), help_text=""):
        self.name, self.label, self.required = name, label, required
        self.initial, self.guesses, self.help_text = initial, guesses, help_text


OPTIONAL = _("Leave empty if the file has none.")
GUESSED = _("Leave empty to take the column the header names so.")

# The CSV mappings that make links of a case's network: call-detail records (FtM Calls) and
# bank statements (FtM Payments between BankAccounts and their holders).
CSV_COLUMNS = {
    "cdr": (
        CsvColumn("caller", _("Column of the calling number"), initial="caller"),
        CsvColumn("receiver", _("Column of the called number"), initial="receiver"),
        CsvColumn("start", _("Column of the call's start"), initial="start"),
        CsvColumn("duration", _("Column of the duration in seconds"), required=False,
                  initial="duration", help_text=OPTIONAL),
    ),
    "bank": (
        CsvColumn("date", _("Column of the booking date"), help_text=GUESSED, guesses=(
            "date", "bookingdate", "valuedate", "datum", "data", "datumknjizenja",
            "datumvalute", "датум")),
        CsvColumn("amount", _("Column of the signed amount"), required=False, help_text=_(
            "Negative: paid out of the account. Or give the debit and credit columns."),
            guesses=("amount", "iznos", "shuma", "vlera", "износ", "betrag")),
        CsvColumn("debit", _("Column of the debit (paid out)"), required=False,
                  help_text=OPTIONAL, guesses=("debit", "duguje", "isplata", "debi", "задолжување")),
        CsvColumn("credit", _("Column of the credit (paid in)"), required=False,
                  help_text=OPTIONAL, guesses=("credit", "potrazuje", "uplata", "kredi",
                                               "одобрување")),
        CsvColumn("currency", _("Column of the currency (ISO 4217)"), help_text=GUESSED,
                  guesses=("currency", "valuta", "monedha", "валута", "ccy")),
        CsvColumn("account", _("Column of the statement's account (IBAN)"), help_text=GUESSED,
                  guesses=("iban", "account", "accountiban", "racun", "llogaria", "сметка")),
        CsvColumn("holder", _("Column of the account holder's name"), required=False,
                  help_text=OPTIONAL, guesses=("holder", "accountholder", "owner", "vlasnik",
                                               "mbajtesi", "имател")),
        CsvColumn("counterparty", _("Column of the counterparty's name"), help_text=GUESSED,
                  guesses=("counterparty", "counterpartyname", "name", "partner", "primalac",
                           "platilac", "pala", "назив")),
        CsvColumn("counterparty_iban", _("Column of the counterparty's IBAN"), required=False,
                  help_text=OPTIONAL, guesses=("counterpartyiban", "counterpartyaccount",
                                               "partneriban", "racunpartnera")),
        CsvColumn("purpose", _("Column of the purpose or reference"), required=False,
                  help_text=OPTIONAL, guesses=("purpose", "reference", "description",
                                               "svrha", "pershkrimi", "qellimi", "опис")),
    ),
}

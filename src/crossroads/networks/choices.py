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

"""Which persons may be encoded for the hub: the one place that decides it.

Handling codes (the strictest code among all the person's cases decides):
- H0, H1: encoded. H1 limits use in court, which the answer carries; a hit reveals nothing.
- H2 ("no onward sharing without the owner's permission"): encoded. A hit says only that a
  partner also knows the person; every value still leaves through the owner's explicit
  approval of a formal request — that approval is the permission — and travels marked H2, so
  the receiving node cannot pass it on (enforced there).
- H3 (restricted to the case team; `registry.choices.RESTRICTED_HANDLING`): never encoded.
  Even a hit would tell another country that this node knows the person, and the team alone
  may decide that.
Selectors (phones, e-mails, IBANs, plates, document numbers of a case's network) follow the
same rules (`shareable_entities`): never from an H3 case; an entity tied to a person of the
register only while that person may be encoded (no H3 case of theirs, and a victim, witness or
guardian only with consent) — a victim's phone is not a suspect's selector.
Consent (`_with_consent`): a victim, witness or guardian is encoded only while their latest answer
for `cross_border` is yes; a person recorded only as a suspect needs no consent.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from crossroads.assistance.services.consent import persons_with_consent
from crossroads.networks.models import Entity, Selector
from crossroads.registry.choices import RESTRICTED_HANDLING, SUSPECT_ROLES
from crossroads.registry.models import Involvement, Person


def shareable_persons(jurisdictions: list[str]) -> QuerySet:
    """Persons of these jurisdictions that may be encoded and compared at the hub."""
    involved = Involvement.objects.filter(person_id=OuterRef("pk"))
    restricted = involved.filter(case__handling_code__in=RESTRICTED_HANDLING)
    persons = (Person.objects.filter(jurisdiction_id__in=jurisdictions, merged_into__isnull=True)
               .filter(Exists(involved)).exclude(Exists(restricted)))
    return _with_consent(persons)


def _with_consent(persons: QuerySet) -> QuerySet:
    """Victims, witnesses and guardians only with their consent to cross-border sharing (their
    latest answer is yes); a person recorded only as a suspect is shared for the investigation,
    on the handling code alone, as law-enforcement data is."""
    not_only_suspect = Involvement.objects.filter(person_id=OuterRef("pk")).exclude(
        role__in=SUSPECT_ROLES)
    return persons.filter(Q(pk__in=persons_with_consent("cross_border")) | ~Exists(not_only_suspect))


def refusal_cause(person: Person) -> str:
    """Why nothing about the person may leave the node now ("" when it may): `restricted` (a case
    of theirs is H3), `consent` (a victim, witness or guardian without consent to cross-border
    sharing), `withdrawn` (merged, or no longer in any case). Checked when a formal request is
    approved and again just before the answer leaves."""
    if strictest_handling(person) in RESTRICTED_HANDLING:
        return "restricted"
    persons = Person.objects.filter(pk=person.pk)
    if not persons.filter(merged_into__isnull=True).filter(
            Exists(Involvement.objects.filter(person_id=OuterRef("pk")))).exists():
        return "withdrawn"
    if not _with_consent(persons).exists():
        return "consent"
    return ""


def strictest_handling(person: Person) -> str:
    """The strictest handling code among the person's cases ("H0" without any)."""
    codes = set(Involvement.objects.filter(person=person).values_list("case__handling_code", flat=True))
    return max(codes, default="H0")


def shareable_entities(jurisdictions: list[str]) -> QuerySet:
    """Network entities of these jurisdictions whose selectors may be offered to the hub: in a
    case that is not restricted, and, when tied to a person of the register, that person
    shareable (`shareable_persons`)."""
    return (Entity.objects.filter(case__jurisdiction_id__in=jurisdictions)
            .exclude(case__handling_code__in=RESTRICTED_HANDLING)
            .filter(Q(person__isnull=True) | Q(person__in=shareable_persons(jurisdictions))))


def selector_holders(jurisdiction: str, kind: str, digest: str) -> QuerySet:
    """The entities of `jurisdiction` that hold this selector and may share it (by id)."""
    holding = Selector.objects.filter(kind=kind, digest=digest).values("entity_id")
    return shareable_entities([jurisdiction]).filter(pk__in=holding).order_by("pk")


def selector_refusal_cause(jurisdiction: str, kind: str, digest: str) -> str:
    """Why nothing about a selector's holders may leave ("" when some holder may share it):
    `restricted` (the holders left are in H3 cases), `withdrawn` (none left, or not shareable
    for another reason: their person's consent, a merge)."""
    if selector_holders(jurisdiction, kind, digest).exists():
        return ""
    held = Selector.objects.filter(kind=kind, digest=digest, entity__case__jurisdiction_id=jurisdiction)
    if held.filter(entity__case__handling_code__in=RESTRICTED_HANDLING).exists():
        return "restricted"
    return "withdrawn"

"""Registry actions: every surface (pages, API, CLI, tasks) calls these functions.

Each action checks the access policy, validates, writes atomically and audits."""

import datetime
import zlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from crossroads.access.policy import (
    CHANGE,
    VIEW,
    PolicyDenied,
    can,
    require,
    require_capability,
    restrict_narrowed,
)
from crossroads.audit.choices import Action
from crossroads.audit.search_terms import hashed_terms
from crossroads.audit.services import deferred as audit_deferred
from crossroads.audit.services import record, record_denied
from crossroads.validation import collect
from crossroads.versions import check, claim

from . import blind_index
from .choices import (
    STATUS_TRANSITIONS,
    VICTIM_ROLES,
    CaseStatus,
    ContactKind,
    HandlingCode,
    InvolvementRole,
    LabourSector,
    LegalBasis,
    MeansOfControl,
    RecruiterRelation,
    SexualExploitationType,
    TeamRole,
    TrialOutcome,
    VulnerableGroup,
    age_band,
    validate_codes,
)
from .models import (
    Alias,
    Case,
    CaseStatusChange,
    Contact,
    ExploitationRecord,
    IdentityDocument,
    Involvement,
    Person,
    SearchKey,
    VulnerabilityRecord,
)
from .rules import moves_case_status
from .signals import person_saved
from .validation import (
    clean_birth,
    clean_countries,
    clean_country,
    clean_document,
    clean_name,
    refuse_hidden,
)


@dataclass
class DocumentInput:
    doc_type: str
    number: str
    issuing_country: str


@dataclass
class PersonInput:
    given_names: str
    family_name: str
    father_name: str = ""
    sex: str = "U"
    birth_date: datetime.date | None = None
    birth_precision: str = "exact"
    place_of_birth: str = ""
    citizenships: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    documents: list[DocumentInput] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


@dataclass
class ExploitationInput:
    forms: list[str]
    year_of_registration: int | None = None
    labour_sectors: list[str] = field(default_factory=list)
    sexual_types: list[str] = field(default_factory=list)
    means_of_control: list[str] = field(default_factory=list)
    recruiter_relation: str = RecruiterRelation.UNKNOWN
    is_abduction: bool = False
    citizenship: str = ""
    country_of_recruitment: str = ""
    countries_of_transit: list[str] = field(default_factory=list)
    country_of_exploitation: str = ""
    municipality_of_exploitation: str = ""
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


@dataclass
class CaseInput:
    handling_code: str = HandlingCode.H0
    summary: str = ""
    opened_on: datetime.date | None = None


def _clean_sex(sex: str) -> str:
    from .choices import Sex

    if sex not in Sex.values:
        raise ValidationError({"sex": _("Use one of: %(codes)s.") % {"codes": ", ".join(Sex.values)}})
    return sex


def _person_values(data: PersonInput) -> tuple[dict, tuple[list, list, list]]:
    """The person's columns and children (documents, aliases, contacts), every error at once."""
    with collect() as errors:
        sex = errors.check(_clean_sex, data.sex) or "U"
        birth_date = errors.check(clean_birth, data.birth_date, data.birth_precision)
        values = {
            "given_names": errors.check(clean_name, data.given_names, "given_names", required=True),
            "family_name": errors.check(clean_name, data.family_name, "family_name", required=True),
            "father_name": errors.check(clean_name, data.father_name, "father_name", required=False),
            "sex": sex,
            "birth_date": birth_date,
            "birth_precision": data.birth_precision,
            "place_of_birth": " ".join((errors.check(refuse_hidden, data.place_of_birth,
                                                   "place_of_birth") or "").split()),
            "citizenships": errors.check(clean_countries, data.citizenships, "citizenships"),
        }
        documents = [
            errors.check(clean_document, d.doc_type, d.number, d.issuing_country,
                         birth_date=birth_date, sex=sex, precision=data.birth_precision,
                         field=f"documents.{i}")
            for i, d in enumerate(data.documents)
        ]
        aliases = [errors.check(clean_name, a, f"aliases.{i}", required=True)
                   for i, a in enumerate(data.aliases)]
        contacts = [(kind, (errors.check(refuse_hidden, value, f"{name}.{i}") or "").strip())
                    for kind, name, values_ in (
                        (ContactKind.PHONE, "phones", data.phones),
                        (ContactKind.EMAIL, "emails", data.emails),
                        (ContactKind.ADDRESS, "addresses", data.addresses))
                    for i, value in enumerate(values_) if value.strip()]
    return values, (documents, aliases, contacts)


def _write_person_children(person: Person, documents, aliases, contacts, *,
                           fresh: bool = False) -> None:
    """Replace the person's documents, aliases, contacts and search keys (a new person,
    `fresh`, has none to delete)."""
    if not fresh:
        person.documents.all().delete()
        person.aliases.all().delete()
        person.contacts.all().delete()
    IdentityDocument.objects.bulk_create(
        IdentityDocument(person=person, doc_type=t, number=n, issuing_country=c)
        for t, n, c in documents)
    Alias.objects.bulk_create(Alias(person=person, name=a) for a in aliases)
    Contact.objects.bulk_create(Contact(person=person, kind=k, value=v) for k, v in contacts)
    blind_index.reindex(person, aliases, [n for _t, n, _c in documents], fresh=fresh)


def check_person(data: PersonInput) -> None:
    """Every mistake of a person's identity fields at once (a ValidationError), writing nothing."""
    _person_values(data)


def create_person(actor, data: PersonInput, *, announce: bool = True) -> Person:
    return _write_person(actor, *_person_values(data), announce=announce)


def _write_person(actor, values: dict, children, *, announce: bool = True) -> Person:
    with transaction.atomic():
        person = Person.objects.create(jurisdiction_id=actor.jurisdiction_id,
                                       created_by_agency_id=actor.agency_id, **values)
        _write_person_children(person, *children, fresh=True)
        record(actor, Action.CREATE, person)
    if announce:
        _announce(actor, person)
    return person


def check_person_update(actor, person: Person, data: PersonInput, *,
                        version: int | tuple[int, ...] | None = None) -> tuple[dict, tuple]:
    """What `update_person` checks before it writes: the right to change the person, the
    version the change was built from (StaleVersion), every mistake of `data` at once (a
    ValidationError); the cleaned values and children."""
    require(actor, CHANGE, person)
    check(person, version)
    return _person_values(data)


def update_person(actor, person: Person, data: PersonInput, *,
                  version: int | tuple[int, ...] | None = None) -> Person:
    """Replace the person's identity record; built from `version` (crossroads.versions), it is
    refused with StaleVersion if another write came first."""
    values, children = check_person_update(actor, person, data, version=version)
    changed = sorted(k for k, v in values.items() if getattr(person, k) != v)
    with transaction.atomic():
        claim(person, version)
        for key, value in values.items():
            setattr(person, key, value)
        person.save()
        _write_person_children(person, *children)
        record(actor, Action.UPDATE, person, details={"fields": changed})
    _announce(actor, person)
    return person


def _announce(actor, person: Person) -> None:
    """Once the write's transaction has closed, tell the apps above (duplicate detection) that
    the person changed; each receiver works in its own savepoint, so its failure never undoes
    the save."""
    person_saved.send(sender=Person, actor=actor, person=person)


def next_reference(jurisdiction_code: str, year: int) -> str:
    prefix = f"{jurisdiction_code}-{year}-"
    last = Case.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _lock_references(prefix: str) -> None:
    """Serialise the choice of the next number per jurisdiction and year until commit.
    PostgreSQL needs it (concurrent writers); SQLite has one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(prefix.encode())])


def _create_with_reference(attempts: int = 3, **values) -> Case:
    """A case with the next free reference; should a number be taken all the same (another
    writer outside this lock), retry with the number after it."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                _lock_references(f"{values['jurisdiction_id']}-{values['opened_on'].year}")
                return Case.objects.create(
                    reference=next_reference(values["jurisdiction_id"], values["opened_on"].year),
                    **values)
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def _case_values(data: CaseInput) -> dict:
    with collect() as errors:
        if data.handling_code not in HandlingCode.values:
            errors.add({"handling_code": _("Unknown handling code.")})
        opened = data.opened_on or timezone.localdate()
        if opened > timezone.localdate():
            errors.add({"opened_on": _("The date lies in the future.")})
        summary = errors.check(refuse_hidden, data.summary, "summary") or ""
    return {"handling_code": data.handling_code, "summary": summary.strip(), "opened_on": opened}


def open_case(actor, data: CaseInput) -> Case:
    return _write_case(actor, _case_values(data))


def _write_case(actor, values: dict) -> Case:
    case = _create_with_reference(jurisdiction_id=actor.jurisdiction_id,
                                  owner_agency_id=actor.agency_id, **values)
    case.team.add(actor, through_defaults={"team_role": TeamRole.LEAD})
    # Stored in English, translated where it is shown (the case page), like every reader's page.
    CaseStatusChange.objects.create(case=case, to_status=CaseStatus.OPEN, changed_by=actor,
                                    reason=gettext_noop("Case opened"))
    record(actor, Action.CREATE, case)
    return case


def _exploitation_values(data: ExploitationInput, *, birth_date: datetime.date | None,
                         citizenships: list[str], opened: datetime.date) -> dict:
    """The record's columns, every error at once; the age band and the child flag follow from
    the victim's date of birth at the start of the exploitation (else the case's opening)."""
    from .choices import ExploitationForm

    with collect() as errors:
        forms = errors.check(validate_codes, data.forms, ExploitationForm, "forms")
        if forms == []:
            errors.add({"forms": _("Choose at least one form of exploitation.")})
        year = data.year_of_registration or opened.year
        if not 1990 <= year <= timezone.localdate().year:
            errors.add({"year_of_registration": _("The year is out of range.")})
        if data.period_start and data.period_end and data.period_end < data.period_start:
            errors.add({"period_end": _("The end lies before the start.")})
        if data.recruiter_relation not in RecruiterRelation.values:
            errors.add({"recruiter_relation": _("Unknown recruiter relation.")})
        values = {
            "forms": forms,
            "year_of_registration": year,
            "labour_sectors": errors.check(validate_codes, data.labour_sectors, LabourSector,
                                           "labour_sectors"),
            "sexual_types": errors.check(validate_codes, data.sexual_types,
                                         SexualExploitationType, "sexual_types"),
            "means_of_control": errors.check(validate_codes, data.means_of_control,
                                             MeansOfControl, "means_of_control"),
            "recruiter_relation": data.recruiter_relation,
            "is_abduction": data.is_abduction,
            "citizenship": errors.check(clean_country, data.citizenship, "citizenship") or (
                citizenships[0] if citizenships else ""),
            "country_of_recruitment": errors.check(clean_country, data.country_of_recruitment,
                                                   "country_of_recruitment"),
            "countries_of_transit": errors.check(clean_countries, data.countries_of_transit,
                                                 "countries_of_transit"),
            "country_of_exploitation": errors.check(clean_country, data.country_of_exploitation,
                                                    "country_of_exploitation"),
            "municipality_of_exploitation": data.municipality_of_exploitation.strip(),
            "period_start": data.period_start,
            "period_end": data.period_end,
        }
    reference_day = data.period_start or opened
    band, minor = "", False
    if birth_date:
        age = reference_day.year - birth_date.year - (
            (reference_day.month, reference_day.day) < (birth_date.month, birth_date.day))
        if age >= 0:
            band, minor = age_band(age), age < 18
    return {**values, "age_band": band, "is_minor": minor}


def add_exploitation_record(actor, case: Case, person: Person,
                            data: ExploitationInput) -> ExploitationRecord:
    require(actor, CHANGE, case)
    if not case.involvements.filter(person=person, role__in=VICTIM_ROLES).exists():
        raise ValidationError({"person_id": _("The person is not a victim in this case.")})
    values = _exploitation_values(data, birth_date=person.birth_date,
                                  citizenships=person.citizenships, opened=case.opened_on)
    with transaction.atomic():
        claim(case)  # the case shows its records: its version (ETag) moves on
        return _write_exploitation(actor, case, person, values)


def _write_exploitation(actor, case: Case, person: Person, values: dict) -> ExploitationRecord:
    forms = values.pop("forms")
    with transaction.atomic():
        exploitation = ExploitationRecord(case=case, person=person, **values)
        exploitation.forms = forms
        exploitation.save()
        record(actor, Action.CREATE, exploitation, details={"case": case.pk})
    return exploitation


def add_involvement(actor, case: Case, person: Person, role: str) -> Involvement:
    require(actor, CHANGE, case)
    if role not in InvolvementRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role == InvolvementRole.SUSPECT:
        require_capability(actor, "add_suspect")
    if person.jurisdiction_id != case.jurisdiction_id:
        raise ValidationError({"person_id": _("The person belongs to another jurisdiction.")})
    if case.involvements.filter(person=person, role=role).exists():
        raise ValidationError({"role": _("The person already has this role in the case.")})
    with transaction.atomic():
        claim(case)  # the case shows its persons: its version (ETag) moves on
        involvement = Involvement.objects.create(case=case, person=person, role=role)
        record(actor, Action.CREATE, involvement, details={"case": case.pk, "role": role})
    return involvement


def may_change_status(user, case: Case) -> bool:
    """Whether the case page offers the user the status form (`change_status` decides)."""
    return can(user, CHANGE, case) and moves_case_status(user, case)


def require_status_right(actor, case: Case) -> None:
    """PolicyDenied (audited) unless the actor may move the case's status."""
    require(actor, CHANGE, case)
    if not moves_case_status(actor, case):
        record_denied(actor, Case, {"pk": case.pk}, "status")
        raise PolicyDenied("case status")


def change_status(actor, case: Case, to_status: str, reason: str = "", outcome: str = "", *,
                  version: int | tuple[int, ...] | None = None) -> CaseStatusChange:
    """Move the case to `to_status`; a case closing from trial says what the court decided
    (`outcome`), and no other change may. Who may: `rules.moves_case_status`. Compare-and-set
    on the status read (and on `version` when given): of two changes at once one wins, the
    other gets StaleVersion."""
    require_status_right(actor, case)
    check(case, version)
    if to_status not in CaseStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if to_status not in STATUS_TRANSITIONS[CaseStatus(case.status)]:
        raise ValidationError({"status": _("A case cannot go from %(old)s to %(new)s.") % {
            "old": case.get_status_display(), "new": CaseStatus(to_status).label}})
    closes_trial = case.status == CaseStatus.TRIAL and to_status == CaseStatus.CLOSED
    if closes_trial and outcome not in TrialOutcome.values:
        raise ValidationError({"outcome": _("Say what the court decided: a case closes from "
                                            "trial with the outcome of the trial.")})
    if outcome and not closes_trial:
        raise ValidationError({"outcome": _("Only a case closing from trial has an outcome.")})
    refuse_hidden(reason, "reason")
    with transaction.atomic():
        claim(case, version, status=case.status)
        change = CaseStatusChange.objects.create(case=case, from_status=case.status,
                                                 to_status=to_status, changed_by=actor,
                                                 reason=reason.strip()[:500], outcome=outcome)
        case.status = to_status
        case.save(update_fields=["status", "updated_at", "version"])
        record(actor, Action.UPDATE, case, details={
            "status": [change.from_status, to_status], **({"outcome": outcome} if outcome else {})})
    return change


def change_handling_code(actor, case: Case, handling_code: str, *,
                         version: int | tuple[int, ...] | None = None) -> Case:
    """Set the case's handling code (raising it to H3 restricts it to its team). What follows
    for the exchange (the person withdrawn from the hub, pending requests refused) is the
    exchange's own business, on the case's save. Compare-and-set like `change_status`."""
    require(actor, CHANGE, case)
    check(case, version)
    if handling_code not in HandlingCode.values:
        raise ValidationError({"handling_code": _("Unknown handling code.")})
    if handling_code == case.handling_code:
        return case
    with transaction.atomic():
        claim(case, version, handling_code=case.handling_code)
        before, case.handling_code = case.handling_code, handling_code
        case.save(update_fields=["handling_code", "updated_at", "version"])
        record(actor, Action.UPDATE, case, details={"handling_code": [before, handling_code]})
    return case


def _check_case_parts(errors, case_data: CaseInput, exploitation_data: ExploitationInput,
                      role: str, *, birth_date, citizenships) -> tuple[dict | None, dict | None]:
    """The role, case and exploitation parts of a registration, their errors kept in `errors`."""
    if role not in VICTIM_ROLES:
        errors.add({"role": _("Registration is for victims and presumed victims.")})
    case_values = errors.check(_case_values, case_data, within="case")
    exploitation_values = errors.check(
        _exploitation_values, exploitation_data, within="exploitation", birth_date=birth_date,
        citizenships=citizenships,
        opened=case_values["opened_on"] if case_values else timezone.localdate())
    return case_values, exploitation_values


def check_registration(actor, person_data: PersonInput, case_data: CaseInput,
                       exploitation_data: ExploitationInput, role: str = InvolvementRole.VICTIM):
    """Every mistake of a registration's three parts at once, under the part's name
    (``person.birth_date``), without writing: a ValidationError, or the cleaned values."""
    require_capability(actor, "register_victim")
    with collect() as errors:
        person_values, children = errors.check(_person_values, person_data,
                                               within="person") or ({}, None)
        case_values, exploitation_values = _check_case_parts(
            errors, case_data, exploitation_data, role, birth_date=person_values.get("birth_date"),
            citizenships=person_values.get("citizenships") or [])
    return person_values, children, case_values, exploitation_values


def _write_registration(actor, person: Person, case_values: dict, exploitation_values: dict,
                        role: str) -> tuple[Case, ExploitationRecord]:
    case = _write_case(actor, case_values)
    involvement = Involvement.objects.create(case=case, person=person, role=role)
    record(actor, Action.CREATE, involvement, details={"case": case.pk, "role": role})
    return case, _write_exploitation(actor, case, person, exploitation_values)


def register_victim(actor, person_data: PersonInput, case_data: CaseInput,
                    exploitation_data: ExploitationInput,
                    role: str = InvolvementRole.VICTIM) -> tuple[Person, Case, ExploitationRecord]:
    """Person + case + involvement + exploitation record in one transaction: all or nothing,
    and nothing before every part is valid (`check_registration`)."""
    person_values, children, case_values, exploitation_values = check_registration(
        actor, person_data, case_data, exploitation_data, role)
    with transaction.atomic(), audit_deferred():
        person = _write_person(actor, person_values, children, announce=False)
        case, exploitation = _write_registration(actor, person, case_values, exploitation_values,
                                                 role)
    _announce(actor, person)
    return person, case, exploitation


def register_known_victim(actor, person: Person, case_data: CaseInput,
                          exploitation_data: ExploitationInput,
                          role: str = InvolvementRole.VICTIM) -> tuple[Case, ExploitationRecord]:
    """A registration for a person already recorded (the form's "use the existing person"
    instead of a duplicate): a new case, the involvement and the record; the person is kept
    as recorded."""
    require_capability(actor, "register_victim")
    require(actor, VIEW, person)
    with collect() as errors:
        if person.jurisdiction_id != actor.jurisdiction_id:
            errors.add({"person_id": _("The person belongs to another jurisdiction.")})
        case_values, exploitation_values = _check_case_parts(
            errors, case_data, exploitation_data, role, birth_date=person.birth_date,
            citizenships=person.citizenships)
    with transaction.atomic(), audit_deferred():
        return _write_registration(actor, person, case_values, exploitation_values, role)


def search_persons(actor, query: str, queryset=None):
    """Persons visible to `actor` whose name tokens all match the query (in any script)."""
    require_capability(actor, "search_persons")
    queryset = queryset if queryset is not None else Person.objects.all()
    words = blind_index.query_digests(query)
    if not words:
        return queryset.none()
    for alternatives in words:
        matching = SearchKey.objects.filter(kind="name", digest__in=alternatives)
        queryset = queryset.filter(pk__in=matching.values("person_id"))
    record(actor, Action.SEARCH, object_type="registry.person",
           details={"words": len(words), "terms": hashed_terms(query)})
    return restrict_narrowed(queryset, actor, VIEW)


def _vulnerability_errors(errors, group: str, legal_basis: str, legal_reference: str) -> str:
    if group not in VulnerableGroup.values:
        errors.add({"group": _("Choose a group: %(codes)s.") % {
            "codes": ", ".join(VulnerableGroup.values)}})
    if not legal_basis:
        errors.add({"legal_basis": _("A vulnerable group is special-category data: record it "
                                     "only with its legal basis.")})
    elif legal_basis not in LegalBasis.values:
        errors.add({"legal_basis": _("Choose a legal basis: %(codes)s.") % {
            "codes": ", ".join(LegalBasis.values)}})
    reference = errors.check(refuse_hidden, legal_reference or "", "legal_reference")
    return " ".join((reference or "").split())


def record_vulnerability(actor, person: Person, group: str, legal_basis: str,
                         legal_reference: str = "") -> VulnerabilityRecord:
    """Record that a person belongs to a vulnerable group, only with the legal basis that
    allows it (special-category data). The audit names the person and the basis, never the
    group: the log is not encrypted."""
    require(actor, CHANGE, person)
    require_capability(actor, "record_vulnerability")
    with collect() as errors:
        reference = _vulnerability_errors(errors, group, legal_basis, legal_reference)
    # The group is encrypted: compared once decrypted, never by a query on its value.
    if any(found.group == group for found in person.vulnerabilities.all()):
        raise ValidationError({"group": _("This group is already recorded for the person.")})
    with transaction.atomic():
        found = VulnerabilityRecord.objects.create(
            person=person, group=group, legal_basis=legal_basis, legal_reference=reference,
            recorded_by=actor)
        record(actor, Action.CREATE, found, details={"person": person.pk,
                                                     "legal_basis": legal_basis})
    return found

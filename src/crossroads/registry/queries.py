"""Read-side queries shared by the API and the pages: filtering under the access policy.

A read that returns identities (names, a case's summary) writes its own audit entry: the
surface names the purpose (`context`, the entry's `via`), the query records what it returns,
so that no page, route or command can forget it. The case presenter (`case_for_reader`,
`case_page`) is the one place that decides what a case shows a reader by name.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from crossroads.access import policy
from crossroads.access.policy import VIEW, get_visible_or_404, may, require_capability, restrict_narrowed
from crossroads.audit.choices import Action
from crossroads.audit.services import record, record_reads

from . import blind_index, extensions
from .choices import VICTIM_ROLES, CaseStatus, ExploitationForm, InvolvementRole
from .models import (
    FORM_FIELDS,
    Case,
    ExploitationRecord,
    Involvement,
    Person,
    SearchKey,
    VulnerabilityRecord,
)
from .rules import (
    IDENTITY_READERS,
    SEARCH_PERSONS,
    break_glass_grant,
    break_glass_grant_ids,
    granted_case_ids,
    shows_identity,
)
from .services import search_persons

# The case list's sort keys (a leading "-" reverses): the whitelist pages and the API accept.
CASE_SORTS = {"reference": "reference", "opened": "opened_on", "status": "status"}
CASE_SORT_KEYS = tuple(k for key in CASE_SORTS for k in (key, f"-{key}"))


def _case_search(user, text: str) -> Q:
    """Cases matching free text: the reference, or (for a reader who sees victims by name) a
    visible victim's name through the blind index. Summaries are encrypted, so not searched.
    The caller narrows to visible cases, so a match outside them is never told."""
    match = Q(reference__icontains=text)
    if user.role in IDENTITY_READERS and may(user, SEARCH_PERSONS) and blind_index.query_digests(text):
        persons = search_persons(user, text)
        match |= Q(pk__in=Involvement.objects.restrict(user, VIEW)
                   .filter(person__in=persons.values("pk")).values("case_id"))
    return match


def filter_cases(user, *, status: str = "", year: int | None = None, form: str = "",
                 agency: int | None = None, reference: str = "", q: str = "", sort: str = ""):
    qs = Case.objects.restrict(user, VIEW).select_related("owner_agency")
    if sort:
        if sort not in CASE_SORT_KEYS:
            raise ValidationError({"sort": _("Sort by one of: %(keys)s.")
                                   % {"keys": ", ".join(CASE_SORT_KEYS)}})
        qs = qs.order_by(("-" if sort.startswith("-") else "") + CASE_SORTS[sort.lstrip("-")], "pk")
    if status:
        if status not in CaseStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(opened_on__year=year)
    if form:
        if form not in ExploitationForm.values:
            raise ValidationError({"form": _("Unknown form of exploitation.")})
        records = ExploitationRecord.objects.filter(**{FORM_FIELDS[form]: True})
        qs = qs.filter(pk__in=records.values("case_id"))
    if agency:
        qs = qs.filter(owner_agency_id=agency)
    if reference:
        qs = qs.filter(reference__icontains=reference.strip())
    if q.strip():
        qs = qs.filter(_case_search(user, q.strip()))
    return qs


def _list_row(user, case, granted: set[int] | None) -> list[Person]:
    """Present one row of the case list (`case.named`, `case.victim_rows`, `case.forms`) and
    return the persons it shows by name."""
    case.named = shows_identity(user, case, granted)
    case.victim_rows = [{"person_id": i.person_id, "role": i.role,
                         "name": str(i.person) if case.named else None} for i in case.victims]
    case.forms = sorted({code for r in case.records for code in r.forms},
                        key=list(ExploitationForm.values).index)
    case.form_labels = [ExploitationForm(code).label for code in case.forms]
    return [i.person for i in case.victims] if case.named else []


def cases_page(user, paginate: Callable, *, context: str, **filters):
    """One page of `filter_cases`, each case with its visible victims (by name only where the
    presenter says so, else as "Person #id") and its forms of exploitation; names shown are
    recorded as read."""
    victims = Involvement.objects.restrict(user, VIEW).filter(role__in=VICTIM_ROLES)
    records = ExploitationRecord.objects.filter(person__in=victims.values("person_id"))
    qs = filter_cases(user, **filters).prefetch_related(
        # Names are decrypted only for a reader who sees them (under a grant: per row shown).
        Prefetch("involvements", to_attr="victims", queryset=(
            victims.select_related("person") if user.role in IDENTITY_READERS else victims)),
        Prefetch("exploitation_records", queryset=records, to_attr="records"))
    granted = None if user.role in IDENTITY_READERS else granted_case_ids(user)
    return read_page(user, qs, paginate, context=context,
                     shows=lambda case: _list_row(user, case, granted))


def _case_detail(user, case_id: int) -> Case:
    """A visible case with the involvements and records the user may see."""
    visible_involvements = Involvement.objects.restrict(user, VIEW).filter(case_id=case_id)
    # Each record under its victim: named where the case is (the template asks `case.named`).
    records = ExploitationRecord.objects.filter(person__in=visible_involvements.values("person_id"))
    qs = Case.objects.select_related("owner_agency").prefetch_related(
        "assigned_agencies", "team",
        Prefetch("involvements", queryset=visible_involvements.select_related("person")
                 if user.role in IDENTITY_READERS else visible_involvements),
        Prefetch("exploitation_records", queryset=(records.select_related("person")
                                                   if user.role in IDENTITY_READERS else records)),
        "status_history__changed_by",
    )
    return get_visible_or_404(qs, user, pk=case_id)


def _birth_filter(birth_date):
    """Persons born on that day, or recorded with only its month or year."""
    keys = SearchKey.objects.filter
    exact = keys(kind="dob", digest=blind_index.digest("dob", birth_date.isoformat()))
    month = keys(kind="ym", digest=blind_index.digest("ym", f"{birth_date:%Y-%m}"))
    year = keys(kind="yob", digest=blind_index.digest("yob", f"{birth_date:%Y}"))
    return (Q(pk__in=exact.values("person_id"))
            | (Q(birth_precision="month") & Q(pk__in=month.values("person_id")))
            | (Q(birth_precision__in=["year", "age"]) & Q(pk__in=year.values("person_id"))))


def filter_persons(user, *, name: str = "", sex: str = "", role: str = "",
                   birth_date: datetime.date | None = None, document_number: str = ""):
    qs = Person.objects.all()
    if birth_date:
        qs = qs.filter(_birth_filter(birth_date))
    if document_number:
        digest = blind_index.document_digest(document_number)
        qs = qs.filter(pk__in=SearchKey.objects.filter(kind="doc", digest=digest)
                       .values("person_id"))
    if sex:
        qs = qs.filter(sex=sex)
    if role:
        if role not in InvolvementRole.values:
            raise ValidationError({"role": _("Unknown role.")})
        qs = qs.filter(pk__in=Involvement.objects.restrict(user, VIEW).filter(role=role)
                       .values("person_id"))
    if name:
        return search_persons(user, name, qs)
    if birth_date or document_number:
        require_capability(user, SEARCH_PERSONS)
        record(user, Action.SEARCH, object_type="registry.person",
               details={"by": [k for k, v in (("birth_date", birth_date),
                                              ("document_number", document_number)) if v]})
        return restrict_narrowed(qs, user, VIEW)
    # A plain list shows a merged record once, as its survivor; searches still find both. A
    # record merged into one the user may not see stays listed: its absence would tell them that
    # such a record exists.
    # The unfiltered list asks the policy once: the visible persons are also the survivors.
    everyone = Person.objects.restrict(user, VIEW)
    visible = qs.restrict(user, VIEW) if sex or role else everyone
    return visible.filter(Q(merged_into__isnull=True)
                          | ~Q(merged_into__in=everyone.values("pk")))


def exact_duplicates(user, given_names: str, family_name: str,
                     birth_date: datetime.date | None, *, context: str) -> list[Person]:
    """Persons `user` may see who are a 100 % match of a registration about to be saved: the
    same name words in any script or spelling (the blind index's folding) and the same exact
    date of birth. Only visible persons are looked at, so the answer tells nothing of the
    others; the persons offered are recorded as read."""
    if not birth_date or not may(user, SEARCH_PERSONS):
        return []
    typed = blind_index.name_digests(f"{given_names} {family_name}")
    if not typed:
        return []
    exact = SearchKey.objects.filter(kind="dob", digest=blind_index.digest("dob", birth_date.isoformat()))
    found = [person for person in search_persons(user, f"{given_names} {family_name}",
                                                 Person.objects.filter(pk__in=exact.values("person_id")))
             if not person.merged_into_id and person.birth_date == birth_date
             and blind_index.name_digests(f"{person.given_names} {person.family_name}") == typed]
    record_identity_read(user, found, context=context)
    return found


def visible_survivors(user, persons) -> list[int]:
    """Ids of the records these persons are merged into that `user` may see."""
    ids = {p.merged_into_id for p in persons if p.merged_into_id}
    if not ids:
        return []
    return list(Person.objects.restrict(user, VIEW).filter(pk__in=ids).values_list("pk", flat=True))


def merged_persons(user, person: Person):
    """Records merged into `person` that the user may see, with their visible involvements."""
    return (Person.objects.restrict(user, VIEW).filter(merged_into_id=person.pk)
            .prefetch_related(Prefetch("involvements", queryset=Involvement.objects.restrict(
                user, VIEW).select_related("case"))))


def _person_detail(user, person_id: int) -> Person:
    qs = Person.objects.prefetch_related(
        "aliases", "documents", "contacts",
        Prefetch("involvements",
                 queryset=Involvement.objects.restrict(user, VIEW).select_related("case")))
    return get_visible_or_404(qs, user, pk=person_id)


def check_person(user, person_id: int, *, change: bool = False) -> None:
    """404 when the user may not see the person, 403 (audited) when `change` and they may not
    change them; nothing of the person is read (so nothing recorded): what a page checks
    before it asks for a purpose of access."""
    person = get_visible_or_404(Person.objects.all(), user, pk=person_id)
    if change:
        policy.require(user, policy.CHANGE, person)


def person_detail(user, person_id: int, *, context: str) -> Person:
    """A visible person with identity children and visible involvements; the read is recorded."""
    person = _person_detail(user, person_id)
    record_identity_read(user, [person], context=context)
    return person


def person_to_edit(user, person_id: int, *, context: str) -> Person:
    """The person with identity children, to fill the edit form: 404 when the user may not see
    them, 403 (audited) when they see but may not change them; the read is recorded."""
    person = _person_detail(user, person_id)
    policy.require(user, policy.CHANGE, person)
    record_identity_read(user, [person], context=context)
    return person


@dataclass
class PersonPage:
    """What the person page shows: the person, the records confirmed as them (and the one
    they are merged into) as far as the user may see them, their possible duplicates."""

    person: Person
    merged: list[Person] = field(default_factory=list)
    survivor: Person | None = None
    duplicates: list[dict] = field(default_factory=list)
    vulnerabilities: list = field(default_factory=list)  # special category, as the user may see


def person_page(user, person_id: int, *, context: str) -> PersonPage:
    """The person page's reads, recorded as one entry naming every person shown."""
    person = _person_detail(user, person_id)
    merged = list(merged_persons(user, person))
    survivor = (Person.objects.restrict(user, VIEW).filter(pk=person.merged_into_id).first()
                if person.merged_into_id else None)
    duplicates = extensions.extras("person", user, person, [person]).get("duplicates", {}).get(
        person.pk, [])
    record_identity_read(user, [person, *merged, *([survivor] if survivor else []),
                                *(row["person"] for row in duplicates)], context=context)
    return PersonPage(person, merged, survivor, duplicates, list(
        VulnerabilityRecord.objects.restrict(user, VIEW).filter(person=person)))


def _items(shown) -> list:
    """The rows of a page: the API's limit/offset page (a dict) or a paginator's page."""
    return list(shown["items"] if isinstance(shown, dict) else shown)


def read_page(user, queryset, paginate: Callable, *, context: str,
              shows: Callable[[object], Iterable] = lambda row: (row,), also=()):
    """One page of `queryset` as `paginate(queryset)` cuts it (the API's `pagination.page`,
    a page's Paginator), with the identities it shows recorded: `shows(row)` for every row
    (the row itself by default), and `also` (more persons shown with it)."""
    shown = paginate(queryset)
    record_identity_read(user, [p for row in _items(shown) for p in shows(row)] + list(also),
                         context=context)
    return shown


def persons_page(user, paginate: Callable, *, context: str, **filters):
    """One page of the persons `filter_persons` finds, its persons recorded as read."""
    return read_page(user, filter_persons(user, **filters), paginate, context=context)


def search_page(user, name: str, paginate: Callable, *, context: str):
    """One page of a name search, each person with the cases and roles the user may see."""
    found = filter_persons(user, name=name).prefetch_related(Prefetch(
        "involvements", queryset=Involvement.objects.restrict(user, VIEW).select_related("case")))
    return read_page(user, found, paginate, context=context)


def _present(user, case_id: int) -> Case:
    """The case as `user` may see it: the one pseudonymity presenter. `case.named` says whether
    the reader sees its persons by name and its summary (`rules.shows_identity`); otherwise the
    summary is blanked here, for the pages and the API alike. `case.grant`: the reader's active
    break-glass grant on it, if any."""
    case = _case_detail(user, case_id)
    case.named = shows_identity(user, case)
    case.grant = break_glass_grant(user, case)
    if not case.named:
        case.summary = None
    return case


def _summary_read(case) -> list:
    # Under break-glass the case itself is always named, so that every read is on record.
    return [case] if case.named and (case.summary or case.grant) else []


def case_for_reader(user, case_id: int, *, context: str) -> Case:
    """A visible case as `user` may see it (see `_present`); a summary shown is recorded."""
    case = _present(user, case_id)
    record_identity_read(user, _summary_read(case), context=context)
    return case


@dataclass
class CasePage:
    """What the case page shows: the presented case (`case.named`, `case.grant`), the
    duplicates, notices and sections the apps above add, the merge survivors the user may see."""

    case: Case
    duplicates: dict = field(default_factory=dict)
    notices: list = field(default_factory=list)
    survivors: set[int] = field(default_factory=set)
    sections: list = field(default_factory=list)


def case_page(user, case_id: int, *, context: str) -> CasePage:
    """The case page's reads: the persons shown by name, their possible duplicates and the
    summary, recorded as one entry."""
    case = _present(user, case_id)
    persons = [i.person for i in case.involvements.all()] if case.named else []
    # Possible duplicates whose two persons the user may see, re-trafficking notices (linkage
    # and assistance add them; the policy decides).
    extras = extensions.extras("case", user, case, persons)
    duplicates = extras.get("duplicates", {})
    survivors = set()
    if case.named:
        shown = {p.pk: p for p in persons}
        shown.update((row["person"].pk, row["person"]) for rows in duplicates.values()
                     for row in rows)
        record_identity_read(user, list(shown.values()) + _summary_read(case), context=context,
                             case=case.pk)
        # "Merged" only where the user may see the record it is merged into: a merge with a
        # record they may not see is none of their business (nor a sign that it exists).
        survivors = set(visible_survivors(user, persons))
    return CasePage(case, duplicates, extras.get("notices", []), survivors,
                    extras.get("sections", []))


def vulnerabilities(user, person: Person, *, context: str):
    """The person's vulnerable groups the user may see (special category: recorded as a read
    of the person)."""
    shown = VulnerabilityRecord.objects.restrict(user, VIEW).filter(person=person)
    if shown.exists():
        record_identity_read(user, [person], context=context)
    return shown


def record_identity_read(actor, shown, *, context: str, case: int | None = None) -> None:
    """Audit one page or response that shows identities: every person shown (and the case
    whose summary is shown), with the break-glass grants the read used. Called by the read
    functions that return them (here and in the apps above), never by a surface."""
    shown = list(shown)
    if shown:
        record_reads(actor, shown, context=context, grants=break_glass_grant_ids(actor, shown),
                     case=case)

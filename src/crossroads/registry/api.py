"""Registry routes of the JSON API; each one calls the policy-aware queries and services."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from crossroads.access.policy import VIEW, get_visible_or_404
from crossroads.api_types import Id, IsoDate, Limit, Offset, Year, check_also_on_schema_errors
from crossroads.pagination import PageFilters, page, page_of, paged
from crossroads.versions import StaleVersion, etag, if_match

from . import break_glass, queries, services
from .choices import CaseStatus, ExploitationForm, InvolvementRole, Sex
from .models import Case, ExploitationRecord, Involvement, Person
from .schemas import (
    BreakGlassFilters,
    BreakGlassIn,
    BreakGlassOut,
    BreakGlassPage,
    CaseConflict,
    CaseDetail,
    CaseListItem,
    ExploitationCreateIn,
    ExploitationOut,
    InvolvementIn,
    InvolvementOut,
    PersonConflict,
    PersonIn,
    PersonOut,
    PersonSummary,
    RegistrationIn,
    RegistrationOut,
    StatusChangeOut,
    StatusIn,
    VulnerabilityIn,
    VulnerabilityOut,
    person_input,
)

router = Router(tags=["registry"])

# Filter values: a code of the vocabulary, or empty for "any" (listed in the OpenAPI schema).
AnyStatus = Literal[("", *CaseStatus.values)]
AnyForm = Literal[("", *ExploitationForm.values)]
AnySex = Literal[("", *Sex.values)]
AnyRole = Literal[("", *InvolvementRole.values)]


class Page(Schema):
    count: int
    limit: int
    offset: int


class CasePage(Page):
    items: list[CaseListItem]


class PersonPage(Page):
    items: list[PersonSummary]


class InvolvementPage(Page):
    items: list[InvolvementOut]


class ExploitationPage(Page):
    items: list[ExploitationOut]


CASE_SEARCH = "/api/v1/cases/search"
PERSON_SEARCH = "/api/v1/persons/search"
IN_URL = ("A name or an identity document does not belong in a URL (browser history and proxy "
          "logs keep it): send the search as a JSON body to POST {route}.")


def refuse_identity_in_url(filters: Schema, fields: tuple[str, ...], route: str) -> None:
    """A GET that carries a search term for a person is refused, naming the POST route."""
    given = [name for name in fields if getattr(filters, name) not in ("", None)]
    if given:
        raise ValidationError({name: IN_URL.format(route=route) for name in given})


class CaseFilters(Schema):
    status: AnyStatus = ""
    year: Year | None = None
    form: AnyForm = ""
    agency: Id | None = None
    reference: str = ""
    q: str = Field("", max_length=200, description=(
        f"A name or a case reference; only in the body of POST {CASE_SEARCH} (a GET with `q` "
        "is a 422)."))
    sort: Literal[("", *queries.CASE_SORT_KEYS)] = ""
    limit: Limit | None = None
    offset: Offset = 0


PERSON_TERMS = ("name", "birth_date", "document_number")


class PersonFilters(Schema):
    name: str = Field("", description=f"Only in the body of POST {PERSON_SEARCH}.")
    sex: AnySex = ""
    role: AnyRole = ""
    birth_date: IsoDate | None = Field(None, description=f"Only in the body of POST {PERSON_SEARCH}.")
    document_number: str = Field("", description=f"Only in the body of POST {PERSON_SEARCH}.")
    limit: Limit | None = None
    offset: Offset = 0


def _cases_page(request, filters: CaseFilters, context: str):
    return queries.cases_page(
        request.user, lambda qs: page(qs, filters.limit, filters.offset), context=context,
        **filters.dict(exclude={"limit", "offset"}))


@router.get("/cases", response=CasePage)
def list_cases(request, filters: Query[CaseFilters]):
    """Cases by status, year, form, agency or reference. A search by name (`q`) goes to
    POST /cases/search, which keeps the name out of the URL."""
    refuse_identity_in_url(filters, ("q",), CASE_SEARCH)
    return _cases_page(request, filters, "api case list")


@router.post("/cases/search", response=CasePage)
def search_cases(request, payload: CaseFilters):
    """The case list with the filters in the body, `q` (a victim's name or a case reference)
    included; it only reads, so a read-only token may send it."""
    return _cases_page(request, payload, "api case search")


def _versioned(response: HttpResponse, shown):
    """The record with its version as the ETag (send it back as `If-Match` to write)."""
    response["ETag"] = etag(shown.version)
    return shown


def _stale(response: HttpResponse, current):
    """409: another write came first; nothing was written; here is the record as it is now."""
    _versioned(response, current)
    return Status(409, {"detail": "The record changed since you read it; nothing was written. "
                           "`current` is the record now: build the change from it, send its "
                           "`version` as If-Match.",
                 "version": current.version, "current": current})


@router.get("/cases/{case_id}", response=CaseDetail)
def get_case(request, response: HttpResponse, case_id: int):
    return _versioned(response, queries.case_for_reader(request.user, case_id,
                                                        context="api case summary"))


@router.post("/cases/{case_id}/status", response={200: StatusChangeOut, 409: CaseConflict})
def change_case_status(request, response: HttpResponse, case_id: int, payload: StatusIn):
    """Of two changes at once one wins, the other is a 409; with `If-Match` (the case's ETag)
    a change built from an older read is a 409 too."""
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    try:
        change = services.change_status(request.user, case, payload.status, payload.reason,
                                        payload.outcome, version=if_match(request))
    except StaleVersion:
        return _stale(response, queries.case_for_reader(request.user, case_id,
                                                        context="api case conflict"))
    response["ETag"] = etag(case.version)
    return change


@router.post("/cases/{case_id}/involvements", response={201: InvolvementOut})
def add_involvement(request, case_id: int, payload: InvolvementIn):
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    person = get_visible_or_404(Person.objects.all(), request.user, pk=payload.person_id)
    return Status(201, services.add_involvement(request.user, case, person, payload.role))


@router.post("/cases/{case_id}/exploitation-records", response={201: ExploitationOut})
def add_exploitation_record(request, case_id: int, payload: ExploitationCreateIn):
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    person = get_visible_or_404(Person.objects.all(), request.user, pk=payload.person_id)
    data = services.ExploitationInput(**payload.dict(exclude={"person_id"}))
    return Status(201, services.add_exploitation_record(request.user, case, person, data))


def _persons_page(request, filters: PersonFilters, context: str):
    return queries.persons_page(request.user, lambda qs: page(qs, filters.limit, filters.offset),
                                context=context, **filters.dict(exclude={"limit", "offset"}))


@router.get("/persons", response=PersonPage)
def list_persons(request, filters: Query[PersonFilters]):
    """Persons by sex or role. A search by name, birth date or document goes to
    POST /persons/search, which keeps them out of the URL."""
    refuse_identity_in_url(filters, PERSON_TERMS, PERSON_SEARCH)
    return _persons_page(request, filters, "api person list")


@router.post("/persons/search", response=PersonPage)
def search_persons(request, payload: PersonFilters):
    """The person list with the filters in the body; it only reads (a read-only token may)."""
    return _persons_page(request, payload, "api person search")


@router.get("/persons/{person_id}", response=PersonOut)
def get_person(request, response: HttpResponse, person_id: int):
    return _versioned(response, queries.person_detail(request.user, person_id,
                                                      context="api person detail"))


@router.post("/persons/{person_id}/vulnerable-groups", response={201: VulnerabilityOut})
def record_vulnerability(request, person_id: Id, payload: VulnerabilityIn):
    """A vulnerable group of the person: special-category data, refused without its legal
    basis; it is counted only in suppressed aggregates, never released record by record."""
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    return Status(201, services.record_vulnerability(request.user, person, **payload.dict()))


@router.get("/persons/{person_id}/vulnerable-groups", response=page_of(VulnerabilityOut))
def list_vulnerabilities(request, person_id: Id, filters: Query[PageFilters]):
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    return paged(queries.vulnerabilities(request.user, person, context="api vulnerable groups"),
                 filters)


@router.put("/persons/{person_id}", response={200: PersonOut, 409: PersonConflict})
def update_person(request, response: HttpResponse, person_id: int, payload: PersonIn):
    """Replace the person's identity record; with `If-Match` (the person's ETag) a record built
    from an older read is a 409 and nothing is written."""
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    try:
        services.update_person(request.user, person, person_input(payload),
                               version=if_match(request))
    except StaleVersion:
        return _stale(response, queries.person_detail(request.user, person_id,
                                                      context="api person conflict"))
    return _versioned(response, queries.person_detail(request.user, person_id,
                                                      context="api person update"))


def _registration(payload: RegistrationIn) -> tuple:
    return (person_input(payload.person), services.CaseInput(**payload.case.dict()),
            services.ExploitationInput(**payload.exploitation.dict()))


@router.post("/registrations", response={201: RegistrationOut})
def register_victim(request, payload: RegistrationIn):
    person, case, exploitation = services.register_victim(
        request.user, *_registration(payload), role=payload.role)
    return Status(201, {"person_id": person.pk, "case_id": case.pk, "case_reference": case.reference,
                 "exploitation_record_id": exploitation.pk})


class InvolvementFilters(Schema):
    case: Id | None = None
    person: Id | None = None
    role: AnyRole = ""
    limit: Limit | None = None
    offset: Offset = 0


@router.get("/involvements", response=InvolvementPage)
def list_involvements(request, filters: Query[InvolvementFilters]):
    qs = Involvement.objects.restrict(request.user, VIEW)
    if filters.case:
        qs = qs.filter(case_id=filters.case)
    if filters.person:
        qs = qs.filter(person_id=filters.person)
    if filters.role:
        qs = qs.filter(role=filters.role)
    return page(qs, filters.limit, filters.offset)


class ExploitationFilters(Schema):
    case: Id | None = None
    year: Year | None = None
    limit: Limit | None = None
    offset: Offset = 0


def _visible_records(user):
    return ExploitationRecord.objects.restrict(user, VIEW).filter(
        person__in=Involvement.objects.restrict(user, VIEW).values("person_id"))


@router.get("/exploitation-records", response=ExploitationPage)
def list_exploitation_records(request, filters: Query[ExploitationFilters]):
    qs = _visible_records(request.user)
    if filters.case:
        qs = qs.filter(case_id=filters.case)
    if filters.year:
        qs = qs.filter(year_of_registration=filters.year)
    return page(qs, filters.limit, filters.offset)


@router.get("/exploitation-records/{record_id}", response=ExploitationOut)
def get_exploitation_record(request, record_id: int):
    return get_visible_or_404(_visible_records(request.user), request.user, pk=record_id)


@router.post("/break-glass", response={201: BreakGlassOut})
def open_break_glass(request, payload: BreakGlassIn):
    """Open a case of your jurisdiction for a few hours by stating why (oversight, coordinator)."""
    grant = break_glass.open_grant_by_reference(request.user, payload.case_reference,
                                                payload.purpose, payload.hours)
    return Status(201, grant)


@router.get("/break-glass", response=BreakGlassPage)
def list_break_glass(request, filters: Query[BreakGlassFilters]):
    """Grants you may see: your own; those on your agency's cases; all of them for oversight."""
    qs = break_glass.visible_grants(request.user)
    if filters.case:
        qs = qs.filter(case_id=filters.case)
    if filters.active is not None:
        active = qs.model.objects.active().values("pk")
        qs = qs.filter(pk__in=active) if filters.active else qs.exclude(pk__in=active)
    return page(qs, filters.limit, filters.offset)


@router.delete("/break-glass/{grant_id}", response={204: None})
def end_break_glass(request, grant_id: int):
    """End your own grant before it expires."""
    break_glass.revoke_grant(request.user, grant_id)
    return Status(204, None)


# A registration whose body fails its schema still has its other fields checked (one 422).
check_also_on_schema_errors("register_victim", RegistrationIn, lambda user, payload: (
    services.check_registration(user, *_registration(payload), role=payload.role)))

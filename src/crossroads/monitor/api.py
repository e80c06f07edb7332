"""API of the monitor: the obligation catalogue (coordinators and analysts), the agreements
register and the funding lines (coordinators write their jurisdiction's; the monitor's readers
read). A record's GET answers its version as the ETag; a PUT with `If-Match` built from an
older read is a 409 and writes nothing."""

from django.http import HttpResponse
from ninja import Query, Router, Status

from crossroads.api_types import Id
from crossroads.pagination import page_of, paged
from crossroads.versions import if_match, versioned

from . import queries, services
from .schemas import (
    AgreementFilters,
    AgreementIn,
    AgreementOut,
    FundingFilters,
    FundingIn,
    FundingOut,
    ObligationDetailOut,
    ObligationFilters,
    ObligationOut,
    ScorecardFilters,
    ScorecardOut,
)

router = Router(tags=["legal monitor"])


@router.get("/legal/obligations", response=page_of(ObligationOut))
def list_obligations(request, filters: Query[ObligationFilters]):
    """The obligation catalogue with each entry's verification status."""
    return paged(queries.obligations(request.auth, instrument=filters.instrument,
                                     pillar=filters.pillar, verification=filters.verification),
                 filters)


@router.get("/legal/obligations/{key}", response=ObligationDetailOut)
def get_obligation(request, key: str):
    """One entry and the history of its corrections."""
    return queries.obligation_with_history(request.auth, key)


@router.get("/legal/scorecards", response={200: ScorecardOut, 404: dict})
def get_scorecard(request, filters: Query[ScorecardFilters]):
    """The scorecard of a review cycle (`cycle`; without it the latest cycle of `jurisdiction`,
    by default the caller's) per pillar and instrument, against the previous cycle, with the
    US TIP tiers and published figures (each with its source)."""
    card = services.scorecard(request.auth, jurisdiction=filters.jurisdiction,
                              cycle_id=filters.cycle)
    return services.scorecard_out(card)


def _agreement_input(payload: AgreementIn) -> services.AgreementInput:
    data = payload.dict()
    data["parties"] = [services.PartyInput(**p) for p in data["parties"]]
    data["documents"] = [services.DocumentInput(**d) for d in data["documents"]]
    return services.AgreementInput(**data)


@router.get("/monitor/agreements", response=page_of(AgreementOut))
def list_agreements(request, filters: Query[AgreementFilters]):
    """The agreements register: of the caller's jurisdiction and those it is a party to."""
    return paged(queries.agreements(request.auth, status=filters.status, kind=filters.kind,
                                    scope=filters.scope, party=filters.party, text=filters.title),
                 filters)


@router.post("/monitor/agreements", response={201: AgreementOut})
def record_agreement(request, response: HttpResponse, payload: AgreementIn):
    """A coordinator records an agreement their jurisdiction is a party to."""
    created = services.record_agreement(request.auth, _agreement_input(payload))
    return Status(201, versioned(response, queries.agreement(request.auth, created.pk)))


@router.get("/monitor/agreements/{agreement_id}", response=AgreementOut, url_name="agreement")
def get_agreement(request, response: HttpResponse, agreement_id: Id):
    return versioned(response, queries.agreement(request.auth, agreement_id))


@router.put("/monitor/agreements/{agreement_id}", response=AgreementOut, url_name="agreement")
def change_agreement(request, response: HttpResponse, agreement_id: Id, payload: AgreementIn):
    """Correct an agreement or move its status (send the ETag as `If-Match`)."""
    agreement = queries.agreement(request.auth, agreement_id)
    services.update_agreement(request.auth, agreement, _agreement_input(payload),
                              version=if_match(request))
    return versioned(response, queries.agreement(request.auth, agreement_id))


def _funding_input(payload: FundingIn) -> services.FundingInput:
    data = payload.dict()
    data["shelter"] = data.pop("shelter_id")
    return services.FundingInput(**data)


@router.get("/monitor/funding-lines", response=page_of(FundingOut))
def list_funding(request, filters: Query[FundingFilters]):
    """Funding lines of the caller's jurisdiction (coordinators and analysts)."""
    return paged(queries.funding_lines(request.auth, year=filters.year, source=filters.source,
                                       recipient_kind=filters.recipient_kind), filters)


@router.post("/monitor/funding-lines", response={201: FundingOut})
def record_funding(request, response: HttpResponse, payload: FundingIn):
    created = services.record_funding(request.auth, _funding_input(payload))
    return Status(201, versioned(response, queries.funding_line(request.auth, created.pk)))


@router.get("/monitor/funding-lines/{line_id}", response=FundingOut, url_name="funding_line")
def get_funding(request, response: HttpResponse, line_id: Id):
    return versioned(response, queries.funding_line(request.auth, line_id))


@router.put("/monitor/funding-lines/{line_id}", response=FundingOut, url_name="funding_line")
def change_funding(request, response: HttpResponse, line_id: Id, payload: FundingIn):
    line = queries.funding_line(request.auth, line_id)
    services.update_funding(request.auth, line, _funding_input(payload),
                            version=if_match(request))
    return versioned(response, queries.funding_line(request.auth, line_id))

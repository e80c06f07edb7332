"""API of the monitor: the obligation catalogue (coordinators and analysts)."""

from ninja import Query, Router

from crossroads.pagination import page_of, paged

from . import queries, services
from .schemas import (
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


@router.get("/legal/scorecards", response=ScorecardOut)
def get_scorecard(request, filters: Query[ScorecardFilters]):
    """The scorecard of a review cycle (`cycle`; without it the latest cycle of `jurisdiction`,
    by default the caller's) per pillar and instrument, against the previous cycle, with the
    US TIP tiers and published figures (each with its source)."""
    card = services.scorecard(request.auth, jurisdiction=filters.jurisdiction,
                              cycle_id=filters.cycle)
    return services.scorecard_out(card)

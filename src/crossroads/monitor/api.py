"""API of the monitor: the obligation catalogue (coordinators and analysts)."""

from ninja import Query, Router

from crossroads.pagination import page_of, paged

from . import queries
from .schemas import ObligationDetailOut, ObligationFilters, ObligationOut

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

"""API of the campaign register: list, register, read, change, and each campaign's report
(counts suppressed, the interrupted time series). National coordinators only."""

from ninja import Query, Router, Status

from crossroads.pagination import page_of, paged
from crossroads.versions import if_match

from . import queries, services
from .schemas import CampaignFilters, CampaignIn, CampaignOut, CampaignReportOut

router = Router(tags=["awareness campaigns"])


def _input(payload: CampaignIn) -> services.CampaignInput:
    return services.CampaignInput(**payload.dict())


@router.get("/campaigns", response=page_of(CampaignOut))
def list_campaigns(request, filters: Query[CampaignFilters]):
    """The campaigns of the caller's jurisdiction, the latest first."""
    return paged(queries.register(request.auth, year=filters.year), filters)


@router.post("/campaigns", response={201: CampaignOut})
def register_campaign(request, payload: CampaignIn):
    return Status(201, services.register_campaign(request.auth, _input(payload)))


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
def get_campaign(request, campaign_id: int):
    return queries.visible_campaign(request.auth, campaign_id)


@router.put("/campaigns/{campaign_id}", response=CampaignOut)
def change_campaign(request, campaign_id: int, payload: CampaignIn):
    """Replace the campaign's fields; with `If-Match` (its version) a stale write is a 409."""
    campaign = queries.visible_campaign(request.auth, campaign_id)
    return services.change_campaign(request.auth, campaign, _input(payload),
                                    version=if_match(request))


@router.get("/campaigns/{campaign_id}/report", response=CampaignReportOut)
def campaign_report(request, campaign_id: int):
    """Reports from the public and identified victims before, during and after the campaign,
    in its areas and in the areas without one, small cells suppressed; the interrupted time
    series of each (docs/campaigns.md)."""
    report = queries.campaign_report(request.auth, campaign_id, context="api")
    return {"campaign": report.campaign, "first_month": report.first_month,
            "last_month": report.last_month, "control_areas": report.control_areas,
            "notes": report.notes,
            "measures": [{"name": m.name, "title": m.title, "phases": m.phases.as_dict(),
                          "months": m.months.as_dict(), "analysis": m.analysis}
                         for m in report.measures]}

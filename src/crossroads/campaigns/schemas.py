"""API schemas of the campaign register and its reports (types here, rules in services)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from crossroads.pagination import PageFilters


class CampaignIn(Schema):
    title: str = Field(..., max_length=200)
    starts_on: datetime.date
    ends_on: datetime.date
    areas: list[str] = Field(..., max_length=500, description=(
        "Municipalities of the caller's jurisdiction, as the public report form lists them."))
    channel: str = Field(..., max_length=12)
    audience: str = Field(..., max_length=16)
    languages: list[str] = Field(..., max_length=6)
    cost: Decimal = Field(..., description="In euros, at most two decimals.")
    funding_line: str = Field(..., max_length=200)


class CampaignOut(Schema):
    id: int
    jurisdiction: str = Field(..., alias="jurisdiction_id")
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    areas: list[str]
    channel: str
    audience: str
    languages: list[str]
    cost: Decimal
    funding_line: str
    version: int


class CampaignFilters(PageFilters):
    year: int | None = Field(None, ge=1990, le=2100, description="Campaigns running that year.")


class EstimateOut(Schema):
    value: float
    se: float
    low: float
    high: float
    p_value: float


class FitOut(Schema):
    months: int
    start: int
    lags: int
    level_change: EstimateOut
    slope_change: EstimateOut
    trend: EstimateOut


class CampaignAnalysisOut(Schema):
    campaign: FitOut | None
    controls: FitOut | None
    difference: FitOut | None
    reason: str


class TableOut(Schema):
    name: str
    title: str
    threshold: int
    suppressed_cells: int
    columns: list[dict]
    rows: list[dict]
    column_totals: list[int | None] | None
    total: int | None


class MeasureOut(Schema):
    name: str
    title: str
    phases: TableOut
    months: TableOut
    analysis: CampaignAnalysisOut


class CampaignReportOut(Schema):
    campaign: CampaignOut
    first_month: datetime.date
    last_month: datetime.date
    control_areas: list[str]
    measures: list[MeasureOut]
    notes: list[str]

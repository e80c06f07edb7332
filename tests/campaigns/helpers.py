import datetime
import secrets

from django.utils import timezone

from crossroads.campaigns.queries import add_months, month_of
from crossroads.tips.models import Report

CAMPAIGN = {"title": "Know your rights at work", "areas": ["Durrës", "Shkodër"],
            "channel": "online", "audience": "workers", "languages": ["sq", "en"],
            "cost": "12500.00", "funding_line": "State budget 2025, line 10420"}


def months_ago(count: int) -> datetime.date:
    return add_months(month_of(timezone.localdate()), -count)


def campaign_body(start_months_ago=12, length=3, **changes) -> dict:
    start = months_ago(start_months_ago)
    end = add_months(start, length) - datetime.timedelta(days=1)
    return {**CAMPAIGN, "starts_on": start.isoformat(), "ends_on": end.isoformat(), **changes}


def tips(municipality: str, month: datetime.date, count: int, jurisdiction="AL") -> None:
    """`count` reports from the public received in the middle of `month` (written directly:
    the counts are what matters here, not the form)."""
    when = timezone.make_aware(datetime.datetime(month.year, month.month, 15, 12))
    Report.objects.bulk_create([
        Report(jurisdiction_id=jurisdiction, language="sq", what_happened="synthetic",
               municipality=municipality, receipt_digest=secrets.token_hex(32),
               received_at=when, due_at=when) for _ in range(count)])

"""Two synthetic awareness campaigns per jurisdiction that lists its municipalities, and the
history of reports from the public that their pages compare: 30 months of counts in every
listed municipality, a little higher in the first campaign's areas from its start on, none
in the second's (so one page shows a change and the other shows none). The history's reports
are closed (no action: too little information), so that they do not fill the triage queue;
their texts say they are synthetic."""

import datetime
import random
import secrets

from django.utils import timezone

from crossroads.access.models import User
from crossroads.campaigns import services
from crossroads.campaigns.queries import add_months, month_of
from crossroads.tips import places
from crossroads.tips.choices import NoActionReason, Status
from crossroads.tips.models import Report

HISTORY_MONTHS = 30
CAMPAIGNS = [
    # title, months ago it started, months long, municipalities (by position), added per month
    ("Work abroad: ask before you go", 14, 3, (1, 5), 4),
    ("Safe at school", 10, 2, (2, 7), 0),
]


def seed_campaigns(seed: int, jurisdiction: str) -> int:
    names = places.municipalities().get(jurisdiction, ())
    if len(names) < 12:
        return 0  # no list (yet): campaigns are registered by municipality
    rng = random.Random(f"{seed}-campaigns-{jurisdiction}")
    coordinator = User.objects.get(username=f"{jurisdiction.lower()}_coordinator")
    this_month = month_of(timezone.localdate())
    shown = names[:12]  # the history covers a dozen municipalities: enough to compare with
    lift = {}
    for title, ago, length, picks, extra in CAMPAIGNS:
        start = add_months(this_month, -ago)
        end = add_months(start, length) - datetime.timedelta(days=1)
        areas = [shown[i] for i in picks]
        services.register_campaign(coordinator, services.CampaignInput(
            title=title, starts_on=start, ends_on=end, areas=areas,
            channel="online" if extra else "schools", audience="migrants" if extra else "young",
            languages=["sq", "en"] if jurisdiction == "AL" else ["en"],
            cost=rng.choice([4800, 7500, 12000]), funding_line="Synthetic donor grant"))
        for area in areas:
            lift[area] = (start, extra)
    rows = []
    for ago in range(HISTORY_MONTHS, 0, -1):
        month = add_months(this_month, -ago)
        for area in shown:
            start, extra = lift.get(area, (None, 0))
            count = max(0, round(rng.gauss(6, 1.5))) + (extra if start and month >= start else 0)
            for _ in range(count):
                day = rng.randint(1, 28)
                when = timezone.make_aware(datetime.datetime(month.year, month.month, day, 12))
                rows.append(Report(
                    jurisdiction_id=jurisdiction, language="en", municipality=area,
                    what_happened="Synthetic report of the demo's campaign history.",
                    receipt_digest=secrets.token_hex(32), received_at=when, due_at=when,
                    status=Status.NO_ACTION, no_action_reason=NoActionReason.INSUFFICIENT))
    Report.objects.bulk_create(rows, batch_size=2000)
    return len(CAMPAIGNS)

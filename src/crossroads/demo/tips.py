"""A few synthetic reports from the public per jurisdiction: web reports (one urgent, two
telling of the same event, so the queue shows a possible duplicate), a hotline call, and a
question of the triage team waiting for the reporter. The receipts are thrown away, as the
real form does once it has shown them."""

import datetime
import random

from django.utils import timezone

from crossroads.access.models import User
from crossroads.tips import places, services
from crossroads.tips.services import ReportInput

TEXTS = [
    "Young workers at a {place} car wash sleep in the back room and say their documents were "
    "taken by the owner.",
    "The workers at the car wash near {place} are locked in the back room at night; their "
    "documents were taken.",
    "A girl of about fifteen is brought to a bar in {place} every evening by an older man.",
    "Men from abroad work on a building site in {place} for no pay; the foreman keeps their "
    "passports.",
]


def seed_tips(seed: int, jurisdiction: str) -> int:
    rng = random.Random(f"{seed}-tips-{jurisdiction}")
    names = places.municipalities()[jurisdiction]
    municipality = f"{jurisdiction}:{rng.choice(names)}" if names else f"{jurisdiction}:"
    place = "" if names else "Centre"
    where = municipality.partition(":")[2] or place
    reports = []
    for index, text in enumerate(TEXTS):
        report, _code = services.file_report(ReportInput(
            text=text.format(place=where), municipality=municipality, place=place,
            language="en", urgency="danger" if index == 2 else "soon",
            affected="children" if index == 2 else "adults", occurred="ongoing"))
        reports.append(report)
    operator = User.objects.get(username=f"{jurisdiction.lower()}_hotline_operator")
    services.file_report(ReportInput(
        text=TEXTS[3].format(place=where), municipality=municipality, place=place,
        language="en", channel="phone", call_at=timezone.now() - datetime.timedelta(hours=2),
        call_notes="Caller is a neighbour; prefers not to give a name."), operator=operator)
    investigator = User.objects.get(username=f"{jurisdiction.lower()}_investigator")
    services.start_review(investigator, reports[2])
    services.write_to_reporter(investigator, reports[2], "Which bar, and on which days?")
    return len(reports) + 1

"""The demo's legal monitor: the shipped obligation catalogue, and a closed review cycle of the
previous year per jurisdiction (a few synthetic assessments and a recommendation), so that a
coordinator can start this year's cycle from it."""

import datetime

from django.utils import timezone

from crossroads.access.models import User
from crossroads.monitor import services
from crossroads.monitor.models import Obligation

ASSESSED = {
    "palermo-3-b": ("aligned", "Criminal Code", "110/3", "high"),
    "palermo-3-c": ("aligned", "Criminal Code", "110/4", "medium"),
    "cets197-13-1": ("partly", "Law on Foreigners", "65", "medium"),
}


def seed_monitor(jurisdiction: str) -> None:
    if not Obligation.objects.exists():
        services.load_catalogue()
    coordinator = User.objects.get(username=f"{jurisdiction.lower()}_coordinator")
    year = timezone.localdate().year - 1
    cycle = services.open_cycle(coordinator, year=year, title=f"Legal review {year}")
    for key, (status, law, article, confidence) in ASSESSED.items():
        item = cycle.assessments.filter(obligation__key=key).first()
        if item is not None:
            services.assess(coordinator, item, services.AssessmentInput(
                status=status, law=law, law_article=article,
                in_force_on=datetime.date(2016, 1, 1), evidence="Synthetic demo assessment.",
                confidence=confidence))
    services.recommend(coordinator, cycle, services.RecommendationInput(
        text="Grant presumed victims a reflection period of at least 30 days in law.",
        addressee="Ministry of Interior", deadline=datetime.date(year + 2, 6, 30),
        obligation="cets197-13-1"))
    services.close_cycle(coordinator, cycle)

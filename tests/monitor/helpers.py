import datetime

from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.monitor import services
from crossroads.monitor.models import Assessment

LAW = services.AssessmentInput(status="aligned", law="Criminal Code", law_article="110",
                               in_force_on=datetime.date(2013, 6, 1), evidence="Art. 110 text.",
                               confidence="high")


def closed_cycle(world, year=2024, jurisdiction="AL"):
    """A cycle with one assessment, a recommendation, one answered comment, closed."""
    coordinator = world.user(Role.COORDINATOR, jurisdiction)
    cycle = services.open_cycle(coordinator, year=year, title=f"Review {year}")
    item = Assessment.objects.get(cycle=cycle, obligation__key="palermo-3-b")
    services.assess(coordinator, item, LAW)
    services.recommend(coordinator, cycle, services.RecommendationInput(
        text="Train judges on the irrelevance of consent.", addressee="Judicial academy",
        deadline=datetime.date(year + 1, 12, 31), obligation="palermo-3-b"))
    services.open_consultation(coordinator, cycle, timezone.localdate())
    comment = services.write_comment(world.user(Role.CASE_WORKER, jurisdiction), item,
                                     "Courts still ask about consent.")
    services.answer_comment(coordinator, comment, "Added to the recommendation.", "taken_up")
    return services.close_cycle(coordinator, cycle)

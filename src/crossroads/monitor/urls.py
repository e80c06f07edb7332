from django.urls import path

from .views import catalogue, reviews, scorecards, training

urlpatterns = [
    path("monitor/obligations/", catalogue.catalogue, name="monitor-obligations"),
    path("monitor/obligations/<slug:key>/", catalogue.entry, name="monitor-obligation"),
    path("monitor/cycles/", reviews.cycles, name="monitor-cycles"),
    path("monitor/cycles/<int:cycle_id>/", reviews.cycle_page, name="monitor-cycle"),
    path("monitor/cycles/<int:cycle_id>/report/", reviews.report, name="monitor-report"),
    path("monitor/training/", training.training, name="monitor-training"),
    path("monitor/assessments/<int:assessment_id>/", reviews.assessment_page,
         name="monitor-assessment"),
    path("monitor/cycles/<int:cycle_id>/scorecard/", scorecards.scorecard_page,
         name="monitor-scorecard"),
]

from django.urls import path

from .views import catalogue, registers, reviews, scorecards, training

urlpatterns = [
    path("monitor/obligations/", catalogue.catalogue, name="monitor-obligations"),
    path("monitor/obligations/<slug:key>/", catalogue.entry, name="monitor-obligation"),
    path("monitor/cycles/", reviews.cycles, name="monitor-cycles"),
    path("monitor/cycles/<int:cycle_id>/", reviews.cycle_page, name="monitor-cycle"),
    path("monitor/cycles/<int:cycle_id>/report/", reviews.report, name="monitor-report"),
    path("monitor/training/", training.training, name="monitor-training"),
    path("monitor/agreements/", registers.agreements, name="monitor-agreements"),
    path("monitor/agreements/new/", registers.agreement_new, name="monitor-agreement-new"),
    path("monitor/agreements/<int:agreement_id>/", registers.agreement_page,
         name="monitor-agreement"),
    path("monitor/agreements/<int:agreement_id>/edit/", registers.agreement_edit,
         name="monitor-agreement-edit"),
    path("monitor/funding/", registers.funding, name="monitor-funding"),
    path("monitor/funding/new/", registers.funding_new, name="monitor-funding-new"),
    path("monitor/funding/<int:line_id>/", registers.funding_page, name="monitor-funding-line"),
    path("monitor/funding/<int:line_id>/edit/", registers.funding_edit,
         name="monitor-funding-edit"),
    path("monitor/assessments/<int:assessment_id>/", reviews.assessment_page,
         name="monitor-assessment"),
    path("monitor/cycles/<int:cycle_id>/scorecard/", scorecards.scorecard_page,
         name="monitor-scorecard"),
]

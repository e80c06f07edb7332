from django.urls import path

from .views import public, triage

urlpatterns = [
    path("report/", public.report_form, name="tips-report-form"),
    path("report/return/", public.return_with_receipt, name="tips-return"),
    path("reports/", triage.queue, name="tips-queue"),
    path("reports/<int:report_id>/", triage.report_page, name="tips-report"),
    path("hotline/call/", triage.hotline_call, name="hotline-call"),
    path("hotline/calls/", triage.my_calls, name="hotline-calls"),
    path("hotline/calls/<int:report_id>/", triage.my_call, name="hotline-my-call"),
]

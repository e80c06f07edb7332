"""Pages of oversight (included by the web shell's urls)."""

from django.urls import path

from .views import alerts, inquiries

urlpatterns = [
    path("oversight/", alerts.alert_list, name="oversight-alerts"),
    path("oversight/alerts/<int:alert_id>/", alerts.alert_detail, name="oversight-alert"),
    path("oversight/inquiries/", inquiries.inquiry_list, name="oversight-inquiries"),
    path("oversight/inquiries/new/", inquiries.inquiry_from_alerts, name="oversight-inquiry-new"),
    path("oversight/inquiries/complaint/", inquiries.inquiry_from_complaint,
         name="oversight-inquiry-complaint"),
    path("oversight/inquiries/<int:inquiry_id>/", inquiries.inquiry_detail,
         name="oversight-inquiry"),
    path("oversight/dashboard/", alerts.dashboard, name="oversight-dashboard"),
    path("oversight/report.pdf", alerts.dashboard_pdf, name="oversight-report-pdf"),
    path("oversight/thresholds/", alerts.thresholds, name="oversight-thresholds"),
    path("oversight/subject/", alerts.subject, name="oversight-subject"),
    path("oversight/searches/", alerts.name_search, name="oversight-searches"),
    path("oversight/persons/<int:person_id>/access/", alerts.person_access,
         name="oversight-person"),
    path("oversight/persons/<int:person_id>/access.pdf", alerts.person_access_pdf,
         name="oversight-person-pdf"),
    path("oversight/cases/<int:case_id>/access/", alerts.case_access, name="oversight-case"),
    path("oversight/cases/<int:case_id>/access.pdf", alerts.case_access_pdf,
         name="oversight-case-pdf"),
    path("oversight/accounts/<int:account_id>/access/", alerts.account_access,
         name="oversight-account"),
    path("oversight/accounts/<int:account_id>/access.pdf", alerts.account_access_pdf,
         name="oversight-account-pdf"),
]

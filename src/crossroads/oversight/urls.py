"""Pages of oversight (included by the web shell's urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("oversight/", views.alert_list, name="oversight-alerts"),
    path("oversight/alerts/<int:alert_id>/", views.alert_detail, name="oversight-alert"),
    path("oversight/dashboard/", views.dashboard, name="oversight-dashboard"),
    path("oversight/thresholds/", views.thresholds, name="oversight-thresholds"),
    path("oversight/subject/", views.subject, name="oversight-subject"),
    path("oversight/searches/", views.name_search, name="oversight-searches"),
    path("oversight/persons/<int:person_id>/access/", views.person_access,
         name="oversight-person"),
    path("oversight/persons/<int:person_id>/access.pdf", views.person_access_pdf,
         name="oversight-person-pdf"),
    path("oversight/cases/<int:case_id>/access/", views.case_access, name="oversight-case"),
    path("oversight/cases/<int:case_id>/access.pdf", views.case_access_pdf,
         name="oversight-case-pdf"),
    path("oversight/accounts/<int:account_id>/access/", views.account_access,
         name="oversight-account"),
    path("oversight/accounts/<int:account_id>/access.pdf", views.account_access_pdf,
         name="oversight-account-pdf"),
]

"""Pages of the audit app (included by the web shell's urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/export.csv", views.audit_export, name="audit-export"),
]

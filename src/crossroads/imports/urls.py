"""Pages of the imports app (included by the web shell's urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.imports_page, name="imports"),
    path("imports/sample-mapping.yaml", views.sample_mapping, name="import-sample-mapping"),
    path("imports/<int:import_id>/", views.import_page, name="import-page"),
    path("imports/<int:import_id>/start/", views.import_start, name="import-start"),
    path("imports/<int:import_id>/errors.csv", views.import_report, name="import-report"),
]

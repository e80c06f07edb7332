"""Pages of networks (included by the web shell's urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/network/", views.network_page, name="network-case"),
    path("cases/<int:case_id>/network/ftm/", views.ftm_import_page, name="network-ftm"),
    path("cases/<int:case_id>/network/calls/", views.csv_page, {"slug": "cdr"},
         name="network-cdr"),
    path("cases/<int:case_id>/network/calls/import/", views.csv_import, {"slug": "cdr"},
         name="network-cdr-import"),
    path("cases/<int:case_id>/network/statements/", views.csv_page, {"slug": "bank"},
         name="network-bank"),
    path("cases/<int:case_id>/network/statements/import/", views.csv_import, {"slug": "bank"},
         name="network-bank-import"),
    path("network/entities/<int:entity_id>/", views.entity_page, name="network-entity"),
    path("network/imports/<int:import_id>/", views.ftm_import_status, name="network-ftm-import"),
    path("network/corridors/", views.corridors_page, name="network-corridors"),
]

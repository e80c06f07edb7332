"""Pages of networks (included by the web shell's urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/network/", views.network_page, name="network-case"),
    path("cases/<int:case_id>/network/ftm/", views.ftm_import_page, name="network-ftm"),
    path("cases/<int:case_id>/network/calls/", views.cdr_page, name="network-cdr"),
    path("cases/<int:case_id>/network/calls/import/", views.cdr_import,
         name="network-cdr-import"),
    path("network/entities/<int:entity_id>/", views.entity_page, name="network-entity"),
    path("network/imports/<int:import_id>/", views.ftm_import_status, name="network-ftm-import"),
    path("network/corridors/", views.corridors_page, name="network-corridors"),
]

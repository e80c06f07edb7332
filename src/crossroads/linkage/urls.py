"""Pages of the linkage app (included by the web shell's urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("duplicates/", views.duplicates_page, name="duplicates"),
    path("duplicates/<int:candidate_id>/<str:decision>/", views.duplicate_decide, name="duplicate-decide"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge-undo"),
    path("duplicates/runs/", views.dedupe_start, name="dedupe-start"),
]

from django.urls import path

from .views import app, submissions

urlpatterns = [
    path("field/", app.field_app, name="field-app"),
    path("field/manifest.webmanifest", app.manifest, name="field-manifest"),
    path("field/sw.js", app.service_worker, name="field-service-worker"),
    path("field/submissions/", submissions.submission_list, name="field-submissions"),
    path("field/submissions/<int:submission_id>/", submissions.submission_page,
         name="field-submission"),
]

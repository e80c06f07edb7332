from django.urls import path

from . import views

urlpatterns = [
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job-progress"),
]

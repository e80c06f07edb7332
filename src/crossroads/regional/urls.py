"""Pages of the regional app (included by the web shell's urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("regional/", views.regional_page, name="regional"),
    path("regional/scorecards/", views.heat_map_page, name="regional-scorecards"),
]

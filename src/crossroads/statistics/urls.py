"""Pages of the statistics app (included by the web shell's urls)."""

from django.urls import path

from .views import dashboards, releases

urlpatterns = [
    path("statistics/", dashboards.statistics_page, name="statistics"),
    path("statistics/<str:page>/", dashboards.statistics_page, name="statistics-page"),
    path("statistics/tables/<str:name>.csv", dashboards.statistics_csv, name="statistics-csv"),
    path("releases/", releases.releases_page, name="releases"),
    path("releases/catalogue/", releases.release_catalogue, name="release-catalogue"),
    path("releases/<int:release_id>/files/<str:name>", releases.release_file, name="release-file"),
    path("releases/<int:release_id>/<str:decision>/", releases.release_decide, name="release-decide"),
    path("releases/budget/<int:change_id>/<str:decision>/", releases.budget_decide,
         name="budget-decide"),
]

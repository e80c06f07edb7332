from django.urls import include, path

from crossroads.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("hub/v1/", include("crossroads.exchange.hub_urls")),
    path("", include("crossroads.jobs.urls")),
    path("", include("crossroads.web.urls")),
]

from django.urls import include, path

from crossroads.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("crossroads.web.urls")),
]

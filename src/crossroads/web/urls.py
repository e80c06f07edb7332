from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from crossroads.exchange import urls as exchange_urls

from .views import home, language

urlpatterns = [
    path("login/", language.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", language.set_language, name="set-language"),
    path("", home.home, name="home"),
    # Browsers ask /favicon.ico whatever the page links (feeds, bookmarks, old clients).
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    *exchange_urls.urlpatterns,
    path("", include("crossroads.oversight.urls")),
    path("", include("crossroads.regional.urls")),
    path("", include("crossroads.access.urls")),
    path("", include("crossroads.assistance.urls")),
    path("", include("crossroads.audit.urls")),
    path("", include("crossroads.campaigns.urls")),
    path("", include("crossroads.field.urls")),
    path("", include("crossroads.imports.urls")),
    path("", include("crossroads.investigations.urls")),
    path("", include("crossroads.jobs.urls")),
    path("", include("crossroads.linkage.urls")),
    path("", include("crossroads.monitor.urls")),
    path("", include("crossroads.networks.urls")),
    path("", include("crossroads.registry.urls")),
    path("", include("crossroads.statistics.urls")),
    path("", include("crossroads.tips.urls")),
]

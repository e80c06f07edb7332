from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from .views import accounts, audit, cases, home, persons, tokens

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", set_language, name="set-language"),
    path("", home.home, name="home"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/<int:case_id>/", cases.case_page, name="case-page"),
    path("cases/<int:case_id>/status/", cases.case_status, name="case-status"),
    path("register/", cases.register_victim, name="register-victim"),
    path("persons/", persons.person_search, name="person-search"),
    path("persons/<int:person_id>/", persons.person_page, name="person-page"),
    path("audit/", audit.audit_log, name="audit-log"),
    path("account/tokens/", tokens.token_list, name="token-list"),
    path("account/tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("manage/accounts/", accounts.account_list, name="account-list"),
    path("manage/accounts/new/", accounts.account_edit, name="account-new"),
    path("manage/accounts/<int:user_id>/", accounts.account_edit, name="account-edit"),
    path("manage/agencies/", accounts.agency_list, name="agency-list"),
    path("manage/agencies/new/", accounts.agency_edit, name="agency-new"),
    path("manage/agencies/<int:agency_id>/", accounts.agency_edit, name="agency-edit"),
]

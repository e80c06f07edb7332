from django.contrib.auth import views as auth_views
from django.urls import path

from crossroads.exchange import urls as exchange_urls
from crossroads.regional import views as regional

from .views import (
    accounts,
    approvals,
    audit,
    break_glass,
    cases,
    duplicates,
    home,
    language,
    mfa,
    persons,
    tokens,
)

urlpatterns = [
    path("login/", language.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mfa/verify/", mfa.verify, name="mfa-verify"),
    path("mfa/enrol/", mfa.enrol, name="mfa-enrol"),
    path("language/", language.set_language, name="set-language"),
    path("", home.home, name="home"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/<int:case_id>/", cases.case_page, name="case-page"),
    path("cases/<int:case_id>/status/", cases.case_status, name="case-status"),
    path("register/", cases.register_victim, name="register-victim"),
    path("persons/", persons.person_search, name="person-search"),
    path("persons/<int:person_id>/", persons.person_page, name="person-page"),
    path("duplicates/", duplicates.duplicates_page, name="duplicates"),
    path("duplicates/<int:candidate_id>/<str:decision>/", duplicates.duplicate_decide,
         name="duplicate-decide"),
    path("merges/<int:merge_id>/undo/", duplicates.merge_undo, name="merge-undo"),
    path("duplicates/runs/", duplicates.dedupe_start, name="dedupe-start"),
    path("duplicates/runs/<int:run_id>/", duplicates.dedupe_progress, name="dedupe-progress"),
    path("audit/", audit.audit_log, name="audit-log"),
    path("account/tokens/", tokens.token_list, name="token-list"),
    path("account/tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("manage/accounts/", accounts.account_list, name="account-list"),
    path("manage/accounts/new/", accounts.account_edit, name="account-new"),
    path("manage/accounts/<int:user_id>/", accounts.account_edit, name="account-edit"),
    path("manage/approvals/", approvals.approval_list, name="approval-list"),
    path("manage/approvals/<int:request_id>/<str:decision>/", approvals.approval_decide,
         name="approval-decide"),
    path("break-glass/", break_glass.break_glass_page, name="break-glass"),
    path("break-glass/<int:grant_id>/end/", break_glass.break_glass_end, name="break-glass-end"),
    path("manage/agencies/", accounts.agency_list, name="agency-list"),
    path("manage/agencies/new/", accounts.agency_edit, name="agency-new"),
    path("manage/agencies/<int:agency_id>/", accounts.agency_edit, name="agency-edit"),
    *exchange_urls.urlpatterns,
    path("regional/", regional.regional_page, name="regional"),
]

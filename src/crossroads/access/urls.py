"""Pages of the access app (included by the web shell's urls)."""

from django.urls import path

from .views import accounts, approvals, mfa, passwords, tokens

urlpatterns = [
    path("mfa/verify/", mfa.verify, name="mfa-verify"),
    path("mfa/enrol/", mfa.enrol, name="mfa-enrol"),
    path("activate/", passwords.activate, name="activate"),
    path("activate/<str:secret>/", passwords.activate_open, name="activate-open"),
    path("account/password/", passwords.password_change, name="password-change"),
    path("account/tokens/", tokens.token_list, name="token-list"),
    path("account/tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("manage/accounts/", accounts.account_list, name="account-list"),
    path("manage/accounts/new/", accounts.account_edit, name="account-new"),
    path("manage/accounts/<int:user_id>/", accounts.account_edit, name="account-edit"),
    path("manage/approvals/", approvals.approval_list, name="approval-list"),
    path("manage/approvals/<int:request_id>/<str:decision>/", approvals.approval_decide,
         name="approval-decide"),
    path("manage/agencies/", accounts.agency_list, name="agency-list"),
    path("manage/agencies/new/", accounts.agency_edit, name="agency-new"),
    path("manage/agencies/<int:agency_id>/", accounts.agency_edit, name="agency-edit"),
]

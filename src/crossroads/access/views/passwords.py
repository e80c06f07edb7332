"""Passwords the user chooses: through an activation or reset link, and from their own menu."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from crossroads.access import mfa, queries, services
from crossroads.pages import page_view

SESSION_KEY = "_activation_link"
BACKEND = "crossroads.access.backends.AccountBackend"


def _invalid(request):
    return render(request, "access/activation_invalid.html", status=404)


def activate_open(request, secret):
    """The link itself: its secret leaves the address at once (no Referer, history or log
    keeps it beyond this request); the link is remembered in the session."""
    link = queries.activation_link(secret)
    if link is None:
        # Guessing links counts towards the lock-out of the caller's address.
        user_login_failed.send(sender=__name__, request=request,
                               credentials={"username": "activation-link"})
        return _invalid(request)
    request.session[SESSION_KEY] = link.pk
    return redirect("activate")


@sensitive_post_parameters()
def activate(request):
    """Choose a password for the link's account; then the second factor (enrolment for a new
    account, the usual code after a reset) before anything opens."""
    link = queries.activation_link_by_id(request.session.get(SESSION_KEY))
    if link is None:
        return _invalid(request)
    form = SetPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = services.set_password_from_link(link.pk, form.cleaned_data["new_password1"])
        if account is None:
            return _invalid(request)
        request.session.pop(SESSION_KEY, None)
        login(request, account, backend=BACKEND)
        messages.success(request, _("Your password is set. Now the second factor."))
        return redirect("mfa-verify" if mfa.is_enrolled(account) else "mfa-enrol")
    return render(request, "web/form_page.html", {
        "form": form, "title": _("Choose your password"), "back": "login",
        "submit_label": _("Set password"),
        "intro": _("Account %(name)s. This link works once. After the password you set up (or "
                   "pass) the second factor.") % {"name": link.user.get_username()}},
        status=422 if form.errors else 200)


@sensitive_post_parameters()
@page_view
def password_change(request):
    """Self-service: the current password, from a session that passed the second factor."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            account = services.change_own_password(request.user, form.cleaned_data["new_password1"])
            update_session_auth_hash(request, account)  # this session stays; others end
            messages.success(request, _("Password changed. Your API tokens were revoked: "
                                        "create new ones if programs need them."))
            return redirect("home")
        if "old_password" in form.errors:
            user_login_failed.send(sender=__name__, request=request,
                                   credentials={"username": request.user.get_username()})
    return render(request, "web/form_page.html", {
        "form": form, "title": _("Change your password"), "back": "home",
        "intro": _("Changing your password ends your other sessions and revokes your API "
                   "tokens.")}, status=422 if form.errors else 200)

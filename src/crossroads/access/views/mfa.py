"""The second step of logging in, and enrolment of an authenticator app."""

from functools import wraps

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from crossroads.access import lockout, mfa
from crossroads.access.views.lockout import locked_out


class CodeForm(forms.Form):
    token = forms.CharField(label=_("Code"), max_length=16,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                          "inputmode": "numeric"}),
                            help_text=_("The six digits your authenticator app shows, or one "
                                        "of your recovery codes."))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def refused_when_locked_out(view):
    """The second-factor step answers a locked-out user name and address with the lock-out, even
    to the right code, and ends the half-open session: after the cool-off, the password again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_verified():
            return view(request, *args, **kwargs)
        try:
            lockout.check(request, request.user.get_username())
            return view(request, *args, **kwargs)
        except lockout.LockedOut:
            logout(request)
            return locked_out(request)
    return wrapper


@login_required
@refused_when_locked_out
def verify(request):
    if request.user.is_verified():
        return redirect(_next(request))
    if not mfa.is_enrolled(request.user):
        return redirect("mfa-enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify(request, request.user, form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("This code is not valid. Wait for the next one and try again."))
    return render(request, "access/mfa_verify.html", {"form": form, "next": _next(request)},
                  status=422 if form.errors else 200)


@login_required
@refused_when_locked_out
def enrol(request):
    if mfa.is_enrolled(request.user):
        return redirect("mfa-verify")
    device = mfa.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(request, device, form.cleaned_data["token"])
        if codes:
            return render(request, "access/mfa_recovery.html", {"codes": codes})
        form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
    return render(request, "access/mfa_enrol.html", {
        "form": form, "qr": mfa.qr_data_uri(device), "secret": mfa.base32_secret(device)},
        status=422 if form.errors else 200)

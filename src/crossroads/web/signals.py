"""Log-ins, failed log-ins and log-outs go to the audit chain, with the client's address."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from crossroads.access.mfa import client_address, mfa_required
from crossroads.audit.choices import Action, Outcome
from crossroads.audit.services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    # With a second factor the log-in is complete, and recorded once, when it is verified
    # (crossroads.access.mfa); a correct password alone opens nothing.
    if not mfa_required(user):
        record(user, Action.LOGIN, user, details={"address": client_address(request)})
    # The account's language is applied by crossroads.web.views.language.LoginView (a cookie).


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(user, Action.LOGOUT, user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record(None, Action.LOGIN_FAILED, object_type="access.user",
           outcome=Outcome.DENIED, details={"username": str(credentials.get("username", ""))[:150],
                                            "address": client_address(request)})

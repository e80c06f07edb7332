"""The language switcher, remembered per user.

Django's ``LocaleMiddleware`` takes the language from the ``django_language`` cookie
(``settings.LANGUAGE_COOKIE_NAME``), then from the browser's Accept-Language; it does not
read the session (the ``_language`` session key is gone since Django 4.0). So the choice is
kept in two places:

* :func:`set_language` (the switcher's target) sets the cookie, as Django's view does, and
  stores the language on the account (``User.language``);
* :class:`LoginView` sets the cookie from the account on a successful log-in, so the choice
  follows the user to another browser or after the cookie is gone. A language picked on the
  log-in page by someone who has never chosen one becomes their choice.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import check_for_language
from django.views.i18n import set_language as django_set_language


def supported(code: str | None) -> str | None:
    """``code`` when it is one of the node's languages, else None."""
    code = (code or "").strip().lower()
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        return code
    return None


def remember_language(response, code: str) -> None:
    """Set the language cookie exactly as Django's ``set_language`` does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def set_language(request):
    """Django's ``set_language`` (cookie and redirect to ``next``), plus the account's memory."""
    response = django_set_language(request)
    code = supported(request.POST.get("language")) if request.method == "POST" else None
    user = request.user
    if code and user.is_authenticated and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return response


class LoginView(auth_views.LoginView):
    """Django's log-in page; a successful log-in switches to the account's language."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        code = supported(user.language)
        if code is None:
            picked = supported(self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            if picked:
                user.language = picked
                user.save(update_fields=["language"])
        else:
            remember_language(response, code)
        return response

"""The public pages: the report form and the return with a receipt. No log-in, no session,
no cookie: the language comes from `?lang=` (or the form's hidden field), Django's CSRF cookie
is replaced by `formtoken`, and the receipt travels only in the page's own forms."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from crossroads.pages import apply_service_errors
from crossroads.registry.forms import service_input

from .. import formtoken, limits, queries, services
from ..forms import ReplyForm, ReportForm, ReturnForm

LANGUAGES = dict(settings.LANGUAGES)


def _language(request) -> str:
    asked = request.POST.get("language") or request.GET.get("lang") or ""
    return asked if asked in LANGUAGES else settings.LANGUAGE_CODE


def _page(request, template: str, context: dict, *, status: int = 200):
    language = _language(request)
    with translation.override(language):
        response = render(request, f"tips/{template}", {
            "language": language, "form_token": formtoken.issue(),
            "page_languages": [(code, settings.LANGUAGE_ENDONYMS[code]) for code in LANGUAGES],
            **context}, status=status)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _refused(request, form, message: str, template: str, status: int):
    form.add_error(None, message)
    return _page(request, template, {"form": form}, status=status)


def _checked(request, form, template: str):
    """A response refusing the post (stale token, over budget), or None."""
    if not formtoken.valid(request.POST.get("form_token", "")):
        return _refused(request, form, _("This page was open too long. Please send it again."),
                        template, 400)
    kind = "submit" if template == "report_form.html" else "lookup"
    if not limits.allowed(request, kind):
        return _refused(request, form, _("Too many reports are arriving just now. Please wait "
                                         "a minute and send again."), template, 429)
    return None


@csrf_exempt  # formtoken instead of a cookie
@require_http_methods(["GET", "POST"])
def report_form(request):
    language = _language(request)
    with translation.override(language):
        if request.method != "POST":
            return _page(request, "report_form.html",
                         {"form": ReportForm(initial={"language": language})})
        form = ReportForm(request.POST)
        refused = _checked(request, form, "report_form.html")
        if refused or not form.is_valid():
            return refused or _page(request, "report_form.html", {"form": form}, status=422)
        try:
            _report, code = services.file_report(service_input(services.ReportInput,
                                                               form.cleaned_data))
        except ValidationError as error:
            apply_service_errors(form, error)
            return _page(request, "report_form.html", {"form": form}, status=422)
        return _page(request, "receipt.html", {"receipt": code, "form": ReturnForm(
            initial={"language": language})})


@csrf_exempt  # formtoken instead of a cookie
@require_http_methods(["GET", "POST"])
def return_with_receipt(request):
    """GET: ask for the receipt. POST: the conversation (and, with text, add to it first)."""
    language = _language(request)
    with translation.override(language):
        if request.method != "POST":
            return _page(request, "return.html", {"form": ReturnForm(initial={"language": language})})
        form = (ReplyForm if "text" in request.POST else ReturnForm)(request.POST)
        refused = _checked(request, form, "return.html")
        if refused or not form.is_valid():
            return refused or _page(request, "return.html", {"form": form}, status=422)
        report = queries.by_receipt(form.cleaned_data["receipt"])
        if report is None:
            return _refused(request, form, _("No report has this receipt code. Check it and "
                                             "try again."), "return.html", 404)
        reply = ReplyForm(initial={"receipt": form.cleaned_data["receipt"], "language": language})
        if "text" in form.cleaned_data:
            try:
                services.reply_as_reporter(report, form.cleaned_data["text"])
            except ValidationError as error:
                apply_service_errors(form, error)
                reply = form  # the text stays, with the reason it was refused
        return _page(request, "conversation.html", {
            "report": report, "conversation": queries.conversation(report), "form": reply},
            status=422 if reply.errors else 200)

"""Page plumbing that every app's views share (below every app: no app imports the web shell):
policy refusals as pages, confirmations, decisions, pagination, service errors on forms, the
date widget."""

import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import pgettext

from crossroads.access.policy import PolicyDenied


def _day_first_format() -> str:
    """The page language's day-first input format ("%d/%m/%Y", "%d.%m.%Y."): dates are typed
    as the pages print them."""
    return next(f for f in formats.get_format("DATE_INPUT_FORMATS") if f.startswith("%d"))


class LocalDateInput(forms.DateInput):
    """A date typed in the page language's order, day first, as every page prints dates.
    Not <input type="date">: its order follows the browser's locale (mm/dd/yyyy in an English
    Chromium) whatever the page language says. ISO dates are accepted as well."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "size": 12, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime(_day_first_format())
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        hint = (_day_first_format().replace("%d", pgettext("date placeholder", "dd"))
                .replace("%m", pgettext("date placeholder", "mm"))
                .replace("%Y", pgettext("date placeholder", "yyyy")))
        context["widget"]["attrs"].setdefault("placeholder", hint)
        return context


DATE_WIDGET = LocalDateInput()


def page_view(view):
    """Login required; policy refusals become 403 pages."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PolicyDenied:
            raise PermissionDenied from None

    return wrapper


def confirm_first(request, act, *, title, explanation, confirm_label, back):
    """For what cannot be undone: a GET shows a confirmation page, only a POST acts."""
    if request.method == "POST":
        return act()
    return render(request, "web/confirm.html", {
        "title": title, "explanation": explanation, "confirm_label": confirm_label,
        "back": back})


def decide(request, decision: str, actions: dict, back: str):
    """Run the chosen decision, `actions[decision] = (act, done message)`; a decision the
    service refuses shows its reason; an unknown one is a 404. Then back to `back`."""
    if decision not in actions:
        raise Http404
    act, done = actions[decision]
    try:
        act()
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)


def paginate(request, queryset, per_page: int = 25, *, number=None):
    """The page `number` (else the query string's `page`) of `queryset`."""
    return Paginator(queryset, per_page).get_page(number or request.GET.get("page"))


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's field errors next to the matching form fields: a service's path
    (`person.documents.0.number`) names the form field by its last part the form knows, through
    the form's `service_fields` where the names differ; the rest go to the top of the form.
    A field the form already refused keeps its own error (the service saw no value there)."""
    aliases = getattr(form, "service_fields", {})
    for name, errors in error.message_dict.items():
        known = (aliases.get(part, part) for part in reversed(name.split(".")))
        field = next((field for field in known if field in form.fields), None)
        if field is None or field not in form.errors:
            form.add_error(field, errors)


def query_without_page(request) -> str:
    return without_page(request.GET)


def without_page(params) -> str:
    """A query string's parameters without its page number (for the pager's links)."""
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()

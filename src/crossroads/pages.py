"""Page plumbing that every app's views share (below every app: no app imports the web shell):
policy refusals as pages, confirmations, decisions, pagination, service errors on forms, the
date widget."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from crossroads.access.policy import PolicyDenied

# <input type="date"> takes ISO dates whatever the page language (not the locale's format).
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


def paginate(request, queryset, per_page: int = 25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


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
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()

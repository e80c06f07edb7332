"""Pages of investigations, one module per subject. Every write goes through the services; a
refused input re-renders its page with the errors at their fields (422)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from crossroads.pages import apply_service_errors


def submit(request, form, act, success: str, back: str, rerender, *back_args):
    """Validate, call the service (`act(cleaned_data)`), back to `back` with a message; or the
    page again with every error of the form and of the service (422)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
            messages.success(request, success)
            return redirect(back, *back_args)
        except ValidationError as error:
            apply_service_errors(form, error)
    response = rerender(form)
    response.status_code = 422
    return response

"""Pages of investigations, one module per subject. Every write goes through the services; a
refused input re-renders its page with the errors at their fields (422)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from crossroads.pages import apply_service_errors
from crossroads.versions import StaleVersion, stale_message


def submit(request, form, act, success: str, back: str, rerender, *back_args, stale=None):
    """Validate, call the service (`act(cleaned_data)`), back to `back` with a message; or the
    page again with every error of the form and of the service (422). A form built from an
    older version of the record (`StaleVersion`) shows the page as it is now (`stale()`, 409):
    nothing was saved."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
            messages.success(request, success)
            return redirect(back, *back_args)
        except ValidationError as error:
            apply_service_errors(form, error)
        except StaleVersion:
            messages.error(request, stale_message())
            response = stale()
            response.status_code = 409
            return response
    response = rerender(form)
    response.status_code = 422
    return response

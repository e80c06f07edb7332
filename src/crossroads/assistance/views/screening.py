"""The screening form: recognised indicators grouped by form of exploitation (a child's form
when the person is a child or presumed child); the score suggests, a person decides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.assistance.choices import ADULT_THRESHOLD, CHILD_THRESHOLD
from crossroads.assistance.forms import ScreeningForm
from crossroads.assistance.services import identification
from crossroads.assistance.views.files import _file
from crossroads.pages import apply_service_errors, page_view


@page_view
def screening(request, file_id):
    file = _file(request, file_id)
    form = ScreeningForm(request.POST if request.method == "POST" else None,
                         child=file.presumed_child)
    if request.method == "POST" and form.is_valid():
        try:
            result = identification.screen(request.user, file, form.indicators(),
                                           form.cleaned_data["notes"])
        except ValidationError as error:  # no indicator ticked: nothing is recorded
            apply_service_errors(form, error)
        else:
            text = (_("Score %(score)d, threshold %(threshold)d: the indicators suggest a "
                      "presumed victim. Decide below.") if result.suggests_presumed else
                    _("Score %(score)d, threshold %(threshold)d: the indicators alone do not "
                      "suggest a presumed victim. Decide below."))
            messages.info(request, text % {"score": result.score, "threshold": result.threshold})
            return redirect("assistance-file", file_id=file.pk)
    return render(request, "assistance/screening.html", {
        "file": file, "form": form,
        "threshold": CHILD_THRESHOLD if file.presumed_child else ADULT_THRESHOLD},
        status=422 if request.method == "POST" else 200)

"""The worker's submissions on the node: receipts, and the kept ones (a conflict, a correction)
opened for a decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crossroads.pages import page_view, paginate

from .. import queries, services
from ..choices import Status


@page_view
def submission_list(request):
    return render(request, "field/submissions.html", {
        "page": paginate(request, queries.submissions(request.user))})


@require_http_methods(["GET", "POST"])
@page_view
def submission_page(request, submission_id: int):
    found = queries.submission(request.user, submission_id)
    if request.method == "POST":
        try:
            found = services.resolve(request.user, found, request.POST.get("decision", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded.") if found.status == Status.APPLIED else
                             _("Decision recorded: %(status)s.") % {
                                 "status": found.get_status_display()})
        return redirect("field-submission", submission_id=found.pk)
    content = queries.waiting_content(request.user, found, context="field submission page")
    return render(request, "field/submission.html", {"submission": found, "content": content})

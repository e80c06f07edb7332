"""The training page: a year's sessions and counts; a coordinator records a session."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import may, require_capability
from crossroads.pages import apply_service_errors, page_view

from .. import queries, services
from ..forms import GROUP_ROWS, TrainingForm
from ..rules import MANAGE_REVIEWS, READ_CATALOGUE


@page_view
def training(request):
    require_capability(request.user, READ_CATALOGUE)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    manage = may(request.user, MANAGE_REVIEWS)
    form = TrainingForm(request.POST or None)
    if request.method == "POST":
        require_capability(request.user, MANAGE_REVIEWS)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.record_training(request.user, services.TrainingInput(
                    title=data["title"], topic=data["topic"], organiser=data["organiser"],
                    starts_on=data["starts_on"], ends_on=data["ends_on"], groups=form.groups()))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The session is recorded."))
                return redirect(f"{request.path}?year={session.starts_on.year}")
    counts = queries.training_year(request.user.jurisdiction_id, year, request.user)
    rows = [[form[f"{name}_{i}"] for name in ("agency", "profession", "women", "men")]
            for i in range(GROUP_ROWS)]
    return render(request, "monitor/training.html", {
        "year": year, "counts": counts, "form": form, "rows": rows, "manage": manage})

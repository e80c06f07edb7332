"""Possible duplicates: the review queue (confirm = merge, reject), unmerge, and the
whole-node deduplication run with its progress bar (the run itself is a background job,
whose bar `jobs/progress.html` polls `crossroads.jobs.views.job_progress`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.access.policy import get_visible_or_404, may
from crossroads.linkage import queries, services
from crossroads.linkage.models import MatchCandidate, PersonMerge
from crossroads.pages import decide, page_view, paginate


@page_view
def duplicates_page(request):
    user = request.user
    if not (may(user, "review_duplicates") or may(user, "rerun_dedupe")):
        raise Http404
    context = {
        "may_review": may(user, "review_duplicates"),
        "may_run": may(user, "rerun_dedupe"),
        "run": queries.latest_run(user),
    }
    if context["may_review"]:
        queue, merges = queries.review_page(
            user, lambda qs: paginate(request, qs, per_page=20), context="duplicate queue"
        )
        context.update(page=queue, merges=merges)
    return render(request, "linkage/duplicates.html", context)


@page_view
@require_POST
def duplicate_decide(request, candidate_id, decision):
    candidate = get_visible_or_404(MatchCandidate.objects.all(), request.user, pk=candidate_id)
    reason = request.POST.get("reason", "")
    return decide(
        request,
        decision,
        {
            "confirm": (
                lambda: services.confirm(request.user, candidate, reason),
                _("The two records are now shown as one person."),
            ),
            "reject": (
                lambda: services.reject(request.user, candidate, reason),
                _("The pair is marked as two different persons."),
            ),
        },
        "duplicates",
    )


@page_view
@require_POST
def merge_undo(request, merge_id):
    merge = get_visible_or_404(PersonMerge.objects.all(), request.user, pk=merge_id)
    try:
        services.undo_merge(request.user, merge)
        messages.success(request, _("The merge is undone: both records stand alone again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("duplicates")


@page_view
@require_POST
def dedupe_start(request):
    services.queue_dedupe(request.user)
    messages.success(request, _("Deduplication of the whole node is queued."))
    return redirect("duplicates")

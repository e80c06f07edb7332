"""Possible duplicates: the review queue (confirm = merge, reject), unmerge, and the
whole-node deduplication run with its progress bar (the run itself is a background job,
whose bar `jobs/progress.html` polls `crossroads.jobs.views.job_progress`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.access.policy import VIEW, get_visible_or_404, may
from crossroads.linkage import node, tasks
from crossroads.linkage.models import DedupeRun, MatchCandidate, PersonMerge
from crossroads.pages import decide, page_view, paginate
from crossroads.registry.queries import record_identity_read


def _latest_run(user):
    if not may(user, "rerun_dedupe"):
        return None
    return _with_visible_pairs(
        user, DedupeRun.objects.restrict(user, VIEW).select_related("job", "started_by").first())


def _with_visible_pairs(user, run):
    """The run, with the number of the pairs it found that `user` may see: the node-wide count
    would tell a registrant that a made-up victim matched someone they may not see."""
    if run is not None:
        run.visible_pairs = (MatchCandidate.objects.restrict(user, VIEW)
                             .filter(found_by_run=run).count())
    return run


@page_view
def duplicates_page(request):
    user = request.user
    if not (may(user, "review_duplicates") or may(user, "rerun_dedupe")):
        raise Http404
    context = {"may_review": may(user, "review_duplicates"), "may_run": may(user, "rerun_dedupe"),
               "run": _latest_run(user)}
    if context["may_review"]:
        queue = paginate(request, node.review_queue(user), per_page=20)
        merges = list(node.recent_merges(user).filter(undone_at__isnull=True)[:20])
        record_identity_read(user, [p for c in queue for p in (c.person_a, c.person_b)]
                             + [p for m in merges for p in (m.survivor, m.merged)],
                             context="duplicate queue")
        context.update(page=queue, merges=merges)
    return render(request, "linkage/duplicates.html", context)


@page_view
@require_POST
def duplicate_decide(request, candidate_id, decision):
    candidate = get_visible_or_404(MatchCandidate.objects.all(), request.user, pk=candidate_id)
    reason = request.POST.get("reason", "")
    return decide(request, decision, {
        "confirm": (lambda: node.confirm(request.user, candidate, reason),
                    _("The two records are now shown as one person.")),
        "reject": (lambda: node.reject(request.user, candidate, reason),
                   _("The pair is marked as two different persons.")),
    }, "duplicates")


@page_view
@require_POST
def merge_undo(request, merge_id):
    merge = get_visible_or_404(PersonMerge.objects.all(), request.user, pk=merge_id)
    try:
        node.undo_merge(request.user, merge)
        messages.success(request, _("The merge is undone: both records stand alone again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("duplicates")


@page_view
@require_POST
def dedupe_start(request):
    tasks.queue_dedupe(request.user)
    messages.success(request, _("Deduplication of the whole node is queued."))
    return redirect("duplicates")


"""Review cycles' pages: the list (and a new cycle from the previous one), one cycle with its
differences, consultation and recommendations, one assessment with its comments, and the
annual report's download as the logged-in coordinator."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossroads.access.policy import may, require_capability
from crossroads.pages import apply_service_errors, page_view, paginate
from crossroads.registry.forms import service_input

from .. import queries, services
from .. import report as annual
from ..forms import (
    AnswerForm,
    AssessmentForm,
    CommentForm,
    ConsultationForm,
    CycleForm,
    FollowUpForm,
    RecommendationForm,
    ReportForm,
)
from ..rules import COMMENT, MANAGE_REVIEWS


def _try(request, form, act, done: str) -> bool:
    try:
        act()
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    messages.success(request, done)
    return True


@page_view
def cycles(request):
    found = queries.cycles(request.user)
    manage = may(request.user, MANAGE_REVIEWS)
    form = CycleForm(request.POST or None)
    if request.method == "POST":
        require_capability(request.user, MANAGE_REVIEWS)
        if form.is_valid():
            holder = {}

            def act():
                holder["cycle"] = services.open_cycle(request.user, **form.cleaned_data)

            if _try(request, form, act, _("The review cycle is open.")):
                return redirect("monitor-cycle", cycle_id=holder["cycle"].pk)
    return render(request, "monitor/cycles.html", {"page": paginate(request, found),
                                                    "form": form, "manage": manage})


@page_view
def cycle_page(request, cycle_id: int):
    cycle = queries.cycle(request.user, cycle_id)
    manage = may(request.user, MANAGE_REVIEWS)
    consultation, recommendation = ConsultationForm(), RecommendationForm()
    follow = FollowUpForm()
    if request.method == "POST":
        require_capability(request.user, MANAGE_REVIEWS)
        step = request.POST.get("step", "")
        if step == "consultation":
            consultation = ConsultationForm(request.POST)
            if consultation.is_valid() and _try(request, consultation, lambda: services.open_consultation(
                    request.user, cycle, consultation.cleaned_data["comments_until"]),
                    _("The cycle is open for comments.")):
                return redirect("monitor-cycle", cycle_id=cycle.pk)
        elif step == "close":
            if _try(request, consultation, lambda: services.close_cycle(request.user, cycle),
                    _("The cycle is closed and published.")):
                return redirect("monitor-cycle", cycle_id=cycle.pk)
        elif step == "recommend":
            recommendation = RecommendationForm(request.POST)
            if recommendation.is_valid() and _try(request, recommendation, lambda: services.recommend(
                    request.user, cycle, service_input(services.RecommendationInput,
                                                       recommendation.cleaned_data)),
                    _("Recommendation added.")):
                return redirect("monitor-cycle", cycle_id=cycle.pk)
        elif step == "follow_up":
            follow = FollowUpForm(request.POST)
            if follow.is_valid():
                item = queries.recommendations(request.user, cycle).filter(
                    pk=follow.cleaned_data["recommendation"]).first()
                if item is None:
                    raise Http404
                if _try(request, follow, lambda: services.follow_up(
                        request.user, item, cycle, follow.cleaned_data["status"],
                        follow.cleaned_data["note"]), _("Saved.")):
                    return redirect("monitor-cycle", cycle_id=cycle.pk)
        else:
            raise Http404
    comments = queries.comments(request.user, cycle)
    return render(request, "monitor/cycle.html", {
        "cycle": cycle, "manage": manage, "assessments": queries.assessments(cycle),
        "differences": queries.differences(cycle), "counts": queries.status_counts(cycle),
        "consultation": queries.consultation_counts(comments) if manage else None,
        "follow_ups": queries.follow_ups(cycle), "consultation_form": consultation,
        "recommendation_form": recommendation, "follow_form": follow,
        "report_form": ReportForm(initial={"language": request.LANGUAGE_CODE})})


@page_view
def assessment_page(request, assessment_id: int):
    item = queries.assessment(request.user, assessment_id)
    manage, consulted = may(request.user, MANAGE_REVIEWS), may(request.user, COMMENT)
    form = AssessmentForm(initial={name: getattr(item, name) for name in AssessmentForm.base_fields})
    comment, answer = CommentForm(), AnswerForm()
    if request.method == "POST":
        step = request.POST.get("step", "")
        back = redirect("monitor-assessment", assessment_id=item.pk)
        if step == "assess":
            require_capability(request.user, MANAGE_REVIEWS)
            form = AssessmentForm(request.POST)
            if form.is_valid() and _try(request, form, lambda: services.assess(
                    request.user, item, service_input(services.AssessmentInput,
                                                      form.cleaned_data)), _("Saved.")):
                return back
        elif step == "comment":
            require_capability(request.user, COMMENT)
            comment = CommentForm(request.POST)
            if comment.is_valid() and _try(request, comment, lambda: services.write_comment(
                    request.user, item, comment.cleaned_data["text"]),
                    _("Thank you: your comment goes to the coordinator.")):
                return back
        elif step == "answer":
            require_capability(request.user, MANAGE_REVIEWS)
            answer = AnswerForm(request.POST)
            if answer.is_valid():
                target = queries.comment(request.user, answer.cleaned_data["comment"])
                if target.assessment_id != item.pk:
                    raise Http404
                if _try(request, answer, lambda: services.answer_comment(
                        request.user, target, answer.cleaned_data["answer"],
                        answer.cleaned_data["uptake"]), _("Answer saved.")):
                    return back
        else:
            raise Http404
    return render(request, "monitor/assessment.html", {
        "item": item, "cycle": item.cycle, "manage": manage,
        "may_comment": consulted and item.cycle.open_for_comments()
        and item.cycle.jurisdiction_id == request.user.jurisdiction_id,
        "comments": queries.comments(request.user, item.cycle).filter(assessment=item),
        "form": form, "comment_form": comment, "answer_form": answer})


@page_view
def report(request, cycle_id: int):
    """The annual report of the cycle's year, as the logged-in coordinator sees it."""
    require_capability(request.user, MANAGE_REVIEWS)
    cycle = queries.cycle(request.user, cycle_id)
    form = ReportForm(request.GET)
    if not form.is_valid():
        raise Http404
    content = annual.annual_report(cycle.jurisdiction_id, cycle.year,
                                   form.cleaned_data["language"], user=request.user)
    name = f"annual-report-{cycle.jurisdiction_id}-{cycle.year}-{content.language}"
    if form.cleaned_data["format"] == "html":
        response = HttpResponse(annual.render_html(content), content_type="text/html")
    else:
        response = HttpResponse(annual.render_pdf(content), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response

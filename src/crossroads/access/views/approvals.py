"""Pending approvals: a second administrator approves or rejects account changes (four-eyes)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.access import activation, approvals, queries
from crossroads.pages import apply_service_errors, page_view


class DecisionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _rows(requests, user):
    return [{"request": r, "changes": approvals.describe(r), "may_decide": approvals.may_decide(user, r),
             "own": r.requested_by_id == user.pk} for r in requests]


@page_view
def approval_list(request):
    user = request.user
    pending = queries.pending_approvals(user)
    decided = queries.decided_approvals(user, 30)
    return render(request, "access/approvals.html", {
        "pending": _rows(pending, user), "decided": _rows(decided, user)})


DECISIONS = {
    "approve": (gettext_lazy("Approve this change?"),
                gettext_lazy("It applies at once and cannot be undone here: a later change "
                             "needs a new request."),
                gettext_lazy("Approve")),
    "reject": (gettext_lazy("Reject this change?"),
               gettext_lazy("Nothing of it will apply. The requester will see your reason."),
               gettext_lazy("Reject")),
    "cancel": (gettext_lazy("Withdraw your request?"),
               gettext_lazy("Nothing of it will apply."),
               gettext_lazy("Withdraw")),
}
DONE = {
    "approve": gettext_lazy("Change approved and applied."),
    "reject": gettext_lazy("Change rejected."),
    "cancel": gettext_lazy("Request withdrawn."),
}


@page_view
def approval_decide(request, request_id, decision):
    """GET shows the request and asks for confirmation; POST decides (irreversibly)."""
    if decision not in DECISIONS:
        raise Http404
    user = request.user
    approval = queries.get_approval(user, request_id)
    if not approval.is_pending:
        messages.info(request, _("This request has already been decided."))
        return redirect("approval-list")
    if decision == "cancel":
        approvals.require_requester(user, approval)
    else:
        approvals.require_second_administrator(user, approval, decision)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if decision == "reject":
        form.fields["reason"].required = True
    if decision == "cancel":
        del form.fields["reason"]
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.get("reason", "")
        try:
            if decision == "approve":
                decided = approvals.approve(user, request_id, reason)
                if decided.link_secret:
                    # Shown this once, to this approver; never put in a message or a log.
                    return render(request, "access/approval_link.html", {
                        "approval": decided, "hours": activation.hours(),
                        "link": activation.url(request, decided.link_secret)})
            elif decision == "reject":
                approvals.reject(user, request_id, reason)
            else:
                approvals.cancel(user, request_id)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, DONE[decision])
            return redirect("approval-list")
    title, explanation, label = DECISIONS[decision]
    return render(request, "access/approval_decide.html", {
        "approval": approval, "changes": approvals.describe(approval), "form": form,
        "title": title, "explanation": explanation, "confirm_label": label,
        "decision": decision}, status=422 if form.errors else 200)

"""Releases: coordinators prepare them (a background task makes the files) and a second
coordinator approves each; analysts browse the approved ones and download their files."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crossroads.access.policy import require_capability
from crossroads.pages import apply_service_errors, decide, page_view, paginate
from crossroads.statistics import release_workflow
from crossroads.statistics.choices import (
    COLUMN_LABELS,
    TABLE_LABELS,
    BudgetChangeStatus,
    ReleaseKind,
    ReleaseStatus,
)
from crossroads.statistics.releases import MANIFEST, MICRODATA_COLUMNS, TABLES, ReleaseSpec


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of release"), choices=ReleaseKind.choices)
    tables = forms.MultipleChoiceField(
        label=gettext_lazy("Tables (tables releases; none chosen: all)"), required=False,
        choices=[(name, TABLE_LABELS[name]) for name in TABLES], widget=forms.CheckboxSelectMultiple)
    columns = forms.MultipleChoiceField(
        label=gettext_lazy("Columns (microdata and synthetic; none chosen: all)"), required=False,
        choices=[(c, COLUMN_LABELS[c]) for c in MICRODATA_COLUMNS], widget=forms.CheckboxSelectMultiple)
    k = forms.CharField(label=gettext_lazy("k (microdata; default 11)"), required=False, max_length=4)
    threshold = forms.CharField(label=gettext_lazy("Smallest published count (tables; default 5)"),
                                required=False, max_length=4)
    epsilon = forms.CharField(
        label=gettext_lazy("ε (tables: noisy counts if given; synthetic: required)"), required=False,
        max_length=12)

    def spec(self) -> ReleaseSpec:
        data = self.cleaned_data
        kind = data["kind"]
        columns = data["tables"] if kind == ReleaseKind.TABLES else data["columns"]
        return ReleaseSpec(kind=kind, columns=columns,
                           k=data["k"] or None, threshold=data["threshold"] or None,
                           epsilon=data["epsilon"] or None)

    def add_service_errors(self, error: ValidationError) -> None:
        for name, errors in error.message_dict.items():
            if name == "columns" and self.cleaned_data.get("kind") == ReleaseKind.TABLES:
                name = "tables"
            self.add_error(name if name in self.fields else None, errors)


class BudgetForm(forms.Form):
    total = forms.CharField(label=gettext_lazy("New total ε of the jurisdiction's dataset"),
                            max_length=12)


@page_view
def releases_page(request):
    """Coordinators: prepare a release, see the privacy budget and ask for a new total,
    approve others' releases and budget raises."""
    user = request.user
    require_capability(user, "prepare_release")
    budget_form = BudgetForm(request.POST if request.POST.get("form") == "budget" else None)
    if budget_form.is_bound:
        if budget_form.is_valid():
            try:
                change = release_workflow.change_budget(user, user.jurisdiction_id,
                                                        budget_form.cleaned_data["total"])
            except ValidationError as error:
                apply_service_errors(budget_form, error)
            else:
                messages.success(request, _("The new total applies.")
                                 if change.status == BudgetChangeStatus.APPROVED else
                                 _("The raise awaits a second coordinator's approval."))
                return redirect("releases")
        return _releases_page(request, ReleaseForm(), budget_form)
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            release_workflow.queue_release(user, form.spec())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The release is queued. A second coordinator approves it "
                                        "once it is prepared."))
            return redirect("releases")
    return _releases_page(request, form, BudgetForm())


def _releases_page(request, form, budget_form):
    user = request.user
    page = paginate(request, release_workflow.visible_releases(user), per_page=20)
    rows = [{"release": r, "may_decide": r.status == ReleaseStatus.PREPARED
             and release_workflow.may_decide(user, r)} for r in page]
    changes = [{"change": c, "may_decide": release_workflow.may_decide_budget(user, c)}
               for c in release_workflow.visible_budget_changes(user)[:20]]
    return render(request, "statistics/releases.html", {
        "form": form, "budget_form": budget_form, "page": page, "rows": rows,
        "manifest": MANIFEST, "budget_changes": changes,
        "budgets": release_workflow.ledger_summaries(user)},
        status=422 if form.errors or budget_form.errors else 200)


@page_view
@require_POST
def budget_decide(request, change_id, decision):
    reason = request.POST.get("reason", "")
    return decide(request, decision, {
        "approve": (lambda: release_workflow.decide_budget_change(request.user, change_id, True,
                                                                  reason),
                    _("Budget change approved: the new total applies.")),
        "reject": (lambda: release_workflow.decide_budget_change(request.user, change_id, False,
                                                                 reason),
                   _("Budget change rejected.")),
    }, "releases")


@page_view
@require_POST
def release_decide(request, release_id, decision):
    reason = request.POST.get("reason", "")
    return decide(request, decision, {
        "approve": (lambda: release_workflow.approve(request.user, release_id, reason),
                    _("Release approved: analysts may now download it.")),
        "reject": (lambda: release_workflow.reject(request.user, release_id, reason),
                   _("Release rejected; its files are deleted.")),
    }, "releases")


@page_view
def release_catalogue(request):
    """Approved releases with their manifests and files (analysts and coordinators)."""
    user = request.user
    require_capability(user, "view_releases")
    approved = release_workflow.visible_releases(user).filter(status=ReleaseStatus.APPROVED)
    return render(request, "statistics/release_catalogue.html", {
        "page": paginate(request, approved, per_page=20), "manifest": MANIFEST})


@page_view
def release_file(request, release_id, name):
    path = release_workflow.release_file(request.user, release_id, name)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)

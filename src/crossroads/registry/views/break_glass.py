"""Break-glass access page: open a case by reference with a stated purpose, see and end grants."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.access.policy import require_capability
from crossroads.pages import apply_service_errors, confirm_first, page_view
from crossroads.registry import break_glass


class BreakGlassForm(forms.Form):
    case_reference = forms.CharField(label=gettext_lazy("Case reference"), max_length=40)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"), max_length=break_glass.MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why you need this case now, in at least 20 characters. The case's "
                               "owner agency and oversight will read it."))
    hours = forms.IntegerField(label=gettext_lazy("Duration (hours)"), min_value=1,
                               max_value=break_glass.MAX_HOURS, initial=break_glass.DEFAULT_HOURS,
                               help_text=gettext_lazy("From 1 to 24 hours."))


@page_view
def break_glass_page(request):
    require_capability(request.user, "break_glass")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = break_glass.open_grant_by_reference(
                request.user, form.cleaned_data["case_reference"], form.cleaned_data["purpose"],
                form.cleaned_data["hours"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("case-page", case_id=grant.case_id)
    return render(request, "registry/break_glass.html", {
        "form": form, "grants": break_glass.active_grants(request.user),
        "past": break_glass.visible_grants(request.user).filter(user_id=request.user.pk)
        .exclude(pk__in=break_glass.active_grants(request.user).values("pk"))[:20]},
        status=422 if form.errors else 200)


@page_view
def break_glass_end(request, grant_id):
    grant = break_glass.active_grants(request.user).filter(pk=grant_id).first()
    if grant is None:
        return redirect("break-glass")

    def end():
        break_glass.revoke_grant(request.user, grant_id)
        messages.success(request, _("Break-glass access to %(ref)s ended.") % {
            "ref": grant.case.reference})
        return redirect("break-glass")

    return confirm_first(
        request, end,
        title=_("End break-glass access to %(ref)s?") % {"ref": grant.case.reference},
        explanation=_("You will no longer see this case's persons. To see them again you "
                      "will have to state a purpose again."),
        confirm_label=_("End access"), back="break-glass")

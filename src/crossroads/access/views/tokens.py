from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossroads.access import queries, services
from crossroads.access.choices import TokenScope
from crossroads.pages import confirm_first, page_view


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the program"), max_length=100)
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=365,
                              initial=90)
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=TokenScope.choices,
                              initial=TokenScope.READ)


@page_view
def token_list(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.issue_token(request.user, form.cleaned_data["name"],
                                               form.cleaned_data["days"], form.cleaned_data["scope"])
        form = TokenForm()
    return render(request, "access/tokens.html", {
        "form": form, "tokens": queries.my_tokens(request.user), "new_token": new_token},
        status=422 if form.errors else 200)


@page_view
def token_revoke(request, token_id):
    token = queries.my_token(request.user, token_id)
    if token is None:
        return redirect("token-list")

    def revoke():
        services.revoke_token(request.user, token_id)
        messages.success(request, _("Token revoked."))
        return redirect("token-list")

    return confirm_first(
        request, revoke, title=_("Revoke the token “%(name)s”?") % {"name": token.name},
        explanation=_("Programs using it will stop working at once. This cannot be undone."),
        confirm_label=_("Revoke"), back="token-list")

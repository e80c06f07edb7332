"""The audit page's filters: they only collect values; `queries.filter_entries` applies them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crossroads.pages import DATE_WIDGET

from .choices import Action, Outcome


class EntryFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("Any")), *Action.choices])
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("Any")), *Outcome.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    about = forms.CharField(label=_("About (a case reference)"), required=False, max_length=40,
                            help_text=_("Who did what on this case: e.g. AL-2024-000012."))
    break_glass = forms.BooleanField(label=_("Break-glass only"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end lies before the start."))
        return data

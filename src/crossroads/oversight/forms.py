"""Oversight page forms: they collect values; the services and queries judge them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AlertKind, AlertStatus, Severity


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any")), *AlertStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("Any")), *AlertKind.choices])
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", _("Any")), *Severity.choices])
    username = forms.CharField(label=_("Account"), required=False, max_length=150)


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AlertStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int, required=False,
                                      empty_value=None)

    def __init__(self, *args, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody")),
                                           *[(a.pk, a.get_username()) for a in accounts]]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class SubjectForm(forms.Form):
    person = forms.IntegerField(label=_("Person (record number)"), required=False, min_value=1)
    case = forms.IntegerField(label=_("Case (record number)"), required=False, min_value=1)
    account = forms.IntegerField(label=_("Account (number)"), required=False, min_value=1)


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name searched for"), max_length=200,
                           help_text=_("Compared as keyed hashes: the audit trail holds no "
                                       "search term in clear."))

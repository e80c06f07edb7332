"""Forms of reports from the public: the report (public and hotline), the return with a
receipt, and the triage team's steps."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crossroads.pages import DATE_WIDGET
from crossroads.registry.choices import HandlingCode

from . import places
from .choices import HOTLINE_CHANNELS, Affected, NoActionReason, Occurred, OperatorState, Urgency
from .services.reporting import SHORT_MAX, TEXT_MAX


class ReportForm(forms.Form):
    text = forms.CharField(label=_("What happened?"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Who, what, where. Do not write your own name unless "
                                       "you want to be contacted."))
    municipality = forms.ChoiceField(label=_("Where? (municipality)"))
    place = forms.CharField(label=_("Place (village, street, business)"), max_length=SHORT_MAX,
                            required=False)
    occurred = forms.ChoiceField(label=_("When?"), choices=Occurred.choices,
                                 initial=Occurred.UNKNOWN, widget=forms.RadioSelect)
    affected = forms.ChoiceField(label=_("Who may be affected?"), choices=Affected.choices,
                                 initial=Affected.UNKNOWN, widget=forms.RadioSelect)
    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Urgency.choices,
                                initial=Urgency.ROUTINE, widget=forms.RadioSelect)
    contact = forms.CharField(label=_("How can we reach you? (optional)"), required=False,
                              max_length=SHORT_MAX,
                              help_text=_("Leave empty to stay anonymous: you can still read "
                                          "our answers with your receipt code."))
    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", "—"), *places.grouped_choices()]


class HotlineCallForm(ReportForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=[(c.value, c.label)
                                                           for c in HOTLINE_CHANNELS])
    call_at = forms.DateTimeField(label=_("Time of the call"),
                                  help_text=_("For example 2026-05-04 14:30"))
    call_notes = forms.CharField(label=_("Call notes"), required=False, max_length=TEXT_MAX,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    language = forms.ChoiceField(label=_("Language of the call"), choices=settings.LANGUAGES)


class ReturnForm(forms.Form):
    receipt = forms.CharField(label=_("Your receipt code"), max_length=64,
                              widget=forms.TextInput(attrs={"autocomplete": "off",
                                                            "spellcheck": "false"}))
    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)


class ReplyForm(ReturnForm):
    receipt = forms.CharField(max_length=64, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Add information or answer"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 5}))


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message to the reporter"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))


class TriageForm(forms.Form):
    step = forms.ChoiceField(choices=[(s, s) for s in ("review", "assign", "no_action", "reopen",
                                                        "new_case", "attach", "duplicate")],
                             widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.CharField(label=_("User name"), required=False, max_length=150)
    reason = forms.ChoiceField(label=_("Reason"), required=False,
                               choices=[("", "—"), *NoActionReason.choices])
    case = forms.CharField(label=_("Case reference"), required=False, max_length=40)
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=HandlingCode.choices,
                                      initial=HandlingCode.H1, required=False)
    duplicate_of = forms.IntegerField(label=_("Duplicate of report number"), required=False,
                                      min_value=1)


class MyCallsForm(forms.Form):
    """The filters of a hotline operator's own calls (dates of the call, the state)."""

    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All")), *OperatorState.choices])
    date_from = forms.DateField(label=_("Calls from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Calls until"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end lies before the start."))
        return data

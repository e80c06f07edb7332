"""Oversight page forms: they collect values; the services and queries judge them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crossroads.pages import DATE_WIDGET
from crossroads.versions import VersionField

from .choices import AlertKind, AlertStatus, InquiryStatus, RecommendationStatus, Severity


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


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period comes before its start."))
        return data


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name searched for"), max_length=200,
                           help_text=_("Compared as keyed hashes: the audit trail holds no "
                                       "search term in clear."))


# ----------------------------------------------------------------------------- inquiries

class InquiryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any")), *InquiryStatus.choices])
    overdue = forms.BooleanField(label=_("Only with overdue recommendations"), required=False)


def _agency_choices(agencies):
    return [("", "—"), *[(a.pk, a.shown_name) for a in agencies]]


class ComplaintForm(forms.Form):
    service_fields = {"agency_id": "agency"}

    subject = forms.CharField(label=_("Subject"), max_length=300)
    complainant = forms.CharField(label=_("Who complained"), max_length=300,
                                  help_text=_("Name and how to reach them; stored encrypted."))
    received_on = forms.DateField(label=_("Received on"), widget=DATE_WIDGET)
    agency = forms.TypedChoiceField(label=_("Agency concerned"), coerce=int, required=False,
                                    empty_value=None)
    account = forms.CharField(label=_("Account concerned (user name)"), max_length=150,
                              required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices(agencies)


class LinkToInquiryForm(forms.Form):
    """On an alert's page: add the alert to an inquiry still running."""

    inquiry = forms.TypedChoiceField(label=_("Inquiry"), coerce=int)

    def __init__(self, *args, inquiries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inquiry"].choices = [(i.pk, f"#{i.pk} {i.subject}") for i in inquiries]


class InquiryStepForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(label=_("Next step"), choices=[
        c for c in InquiryStatus.choices if c[0] != InquiryStatus.OPEN])
    reason = forms.CharField(label=_("Reason (needed to withdraw)"), required=False,
                             max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))


class FindingsForm(forms.Form):
    version = VersionField()
    findings = forms.CharField(label=_("Findings"), max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 8}))


class AddAlertForm(forms.Form):
    version = VersionField()
    alert = forms.IntegerField(label=_("Access alert (number)"), min_value=1)


class RecommendationForm(forms.Form):
    service_fields = {"agency_id": "agency"}

    version = VersionField()
    agency = forms.TypedChoiceField(label=_("Addressed to"), coerce=int)
    text = forms.CharField(label=_("Recommendation"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices(agencies)


class AnswerForm(forms.Form):
    """The agency's answer to one recommendation, as its letter says."""

    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    version = VersionField()
    status = forms.ChoiceField(label=_("The agency's answer"), choices=[
        c for c in RecommendationStatus.choices if c[0] != RecommendationStatus.PENDING])
    answer = forms.CharField(label=_("What the letter says"), max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = forms.DateField(label=_("Letter dated"), widget=DATE_WIDGET)

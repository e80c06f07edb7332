"""Forms of the focal points' pages: a formal request, its approval or refusal. They only
collect values; the services check them again and decide."""

from django import forms
from django.utils.translation import gettext_lazy

from crossroads.pages import DATE_WIDGET

from .choices import FIELD_LABELS, SHAREABLE_HANDLING, InformationReliability, SourceReliability
from .services import MAX_TEXT

HANDLING_CHOICES = [(code, code) for code in SHAREABLE_HANDLING]


class RequestForm(forms.Form):
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}))
    agreement = forms.ModelChoiceField(
        label=gettext_lazy("Agreement the request rests on"), required=False,
        queryset=None, empty_label=gettext_lazy("— none: give the legal basis below —"),
        help_text=gettext_lazy("Agreements in force between the two jurisdictions."))
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), required=False,
                                  max_length=MAX_TEXT,
                                  help_text=gettext_lazy("Required unless you cite an agreement."))
    fields = forms.MultipleChoiceField(label=gettext_lazy("Fields asked"),
                                       widget=forms.CheckboxSelectMultiple)
    handling_code = forms.ChoiceField(
        label=gettext_lazy("Handling code"), choices=HANDLING_CHOICES,
        help_text=gettext_lazy("H0 none, H1 not for court without permission, H2 no onward sharing."))
    deadline = forms.DateField(label=gettext_lazy("Deadline"),
                               widget=DATE_WIDGET)

    def __init__(self, *args, allowed, agreements, **kwargs):
        """`allowed`: the fields a request citing this hit may ask (a person's or a selector's);
        `agreements`: those it may cite."""
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [(f, FIELD_LABELS[f]) for f in allowed]
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].label_from_instance = lambda a: a.citation
        self.order_fields(["purpose", "agreement", "legal_basis"])


class ApproveForm(forms.Form):
    fields = forms.MultipleChoiceField(label=gettext_lazy("Fields to send"),
                                       widget=forms.CheckboxSelectMultiple)
    source_reliability = forms.ChoiceField(label=gettext_lazy("Source reliability"),
                                           choices=SourceReliability.choices)
    information_reliability = forms.ChoiceField(label=gettext_lazy("Information reliability"),
                                                choices=InformationReliability.choices)

    def __init__(self, *args, asked, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [(f, FIELD_LABELS[f]) for f in asked]


class RefuseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=MAX_TEXT,
                             widget=forms.Textarea(attrs={"rows": 2}))

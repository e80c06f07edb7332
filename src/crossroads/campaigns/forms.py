"""The page form of a campaign (types and required fields; the rules are the service's)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crossroads.pages import DATE_WIDGET
from crossroads.tips import places

from .choices import Audience, Channel


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)
    areas = forms.MultipleChoiceField(label=_("Municipalities reached"),
                                      widget=forms.CheckboxSelectMultiple)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *Channel.choices])
    audience = forms.ChoiceField(label=_("Audience"), choices=[("", "—"), *Audience.choices])
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    cost = forms.DecimalField(label=_("Cost (EUR)"), min_value=0, max_digits=12,
                              decimal_places=2)
    funding_line = forms.CharField(label=_("Funding line"), max_length=200,
                                   help_text=_("The budget line or donor grant that paid for it."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, jurisdiction: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(name, name) for name in
                                        places.municipalities().get(jurisdiction, ())]

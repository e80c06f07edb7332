"""Forms of the monitor's pages (types and required fields; the services hold the rules)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import AgencyKind
from crossroads.pages import DATE_WIDGET

from .choices import Confidence, Implementation, Pillar, Profession, Status, TrainingTopic, Uptake


class CorrectionForm(forms.Form):
    instrument = forms.CharField(label=_("Instrument"), max_length=120)
    article = forms.CharField(label=_("Article"), max_length=40)
    paragraph = forms.CharField(label=_("Paragraph"), max_length=80, required=False)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=Pillar.choices)
    obligation = forms.CharField(label=_("Obligation"), widget=forms.Textarea(attrs={"rows": 3}))
    question = forms.CharField(label=_("Check (a yes/no question)"),
                            widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Why the correction"), max_length=500)


class VerifyForm(forms.Form):
    source = forms.CharField(label=_("Official text consulted (address or publication)"),
                             max_length=500)


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    start_from_previous = forms.BooleanField(label=_("Start from the previous cycle"),
                                             required=False, initial=True)


class ConsultationForm(forms.Form):
    comments_until = forms.DateField(label=_("Comments until"), widget=DATE_WIDGET)


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    law = forms.CharField(label=_("National law"), max_length=300, required=False)
    law_article = forms.CharField(label=_("Article of the law"), max_length=60, required=False)
    in_force_on = forms.DateField(label=_("In force since"), required=False, widget=DATE_WIDGET)
    evidence = forms.CharField(label=_("Evidence"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Confidence.choices)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Answer"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    uptake = forms.ChoiceField(label=_("Taken up?"), choices=Uptake.choices)


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    addressee = forms.CharField(label=_("Addressee"), max_length=200)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_WIDGET)
    obligation = forms.CharField(label=_("Obligation (catalogue identifier, optional)"),
                                 max_length=60, required=False)


class FollowUpForm(forms.Form):
    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Implementation"), choices=Implementation.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class ReportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("html", "HTML")])


GROUP_ROWS = 4


class TrainingForm(forms.Form):
    """A session and up to four groups of participants (agency and profession; women, men)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=TrainingTopic.choices)
    organiser = forms.CharField(label=_("Organiser"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(GROUP_ROWS):
            self.fields[f"agency_{i}"] = forms.ChoiceField(
                label=_("Agency (group %(n)s)") % {"n": i + 1}, required=False,
                choices=[("", "—"), *AgencyKind.choices])
            self.fields[f"profession_{i}"] = forms.ChoiceField(
                label=_("Profession (group %(n)s)") % {"n": i + 1}, required=False,
                choices=[("", "—"), *Profession.choices])
            self.fields[f"women_{i}"] = forms.IntegerField(
                label=_("Women (group %(n)s)") % {"n": i + 1}, required=False, min_value=0)
            self.fields[f"men_{i}"] = forms.IntegerField(
                label=_("Men (group %(n)s)") % {"n": i + 1}, required=False, min_value=0)

    def groups(self) -> list:
        from .services import Group

        found = []
        data = self.cleaned_data
        for i in range(GROUP_ROWS):
            for sex, name in (("F", f"women_{i}"), ("M", f"men_{i}")):
                if data.get(name):
                    found.append(Group(data.get(f"agency_{i}") or "", data.get(f"profession_{i}")
                                       or "", sex, data[name]))
        return found


class PublicationDecisionForm(forms.Form):
    """A second coordinator's decision on a scorecard's publication (a reason to reject)."""

    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

"""Forms of the monitor's pages (types and required fields; the services hold the rules)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crossroads.access.choices import AgencyKind
from crossroads.countries import optional_choices
from crossroads.pages import DATE_WIDGET, apply_service_errors
from crossroads.versions import VersionField

from .choices import (
    DEFAULT_CURRENCY,
    AgreementKind,
    AgreementScope,
    AgreementStatus,
    Confidence,
    FundingSource,
    Implementation,
    Pillar,
    Profession,
    RecipientKind,
    Status,
    TrainingTopic,
    Uptake,
)


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

PARTY_ROWS = 4
DOCUMENT_ROWS = 3


def _renamed(error: ValidationError, names: dict) -> ValidationError:
    """A service's error paths (`parties.1.country`) as the form's fields (`country_1`); a
    row's own error goes to the row's first field."""
    found: dict = {}
    for path, messages in error.message_dict.items():
        parts = path.split(".")
        key = path
        if parts[0] in names and len(parts) >= 2 and parts[1].isdigit():
            row = names[parts[0]]
            field = row.get(parts[2]) if len(parts) > 2 else next(iter(row.values()))
            key = f"{field}_{parts[1]}" if field else parts[0]
        found.setdefault(key, []).extend(messages)
    return ValidationError(found)


class AgreementForm(forms.Form):
    """An agreement with up to four parties and three documents (empty rows are skipped)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    scope = forms.MultipleChoiceField(label=_("Scope"), choices=AgreementScope.choices,
                                      widget=forms.CheckboxSelectMultiple)
    scope_other = forms.CharField(label=_("Other scope"), max_length=300, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE_WIDGET)
    in_force_on = forms.DateField(label=_("In force from"), required=False, widget=DATE_WIDGET)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField(required=False)

    SERVICE_NAMES = {"parties": {"country": "country", "agency": "agency"},
                     "documents": {"title": "doc_title", "reference": "doc_reference",
                                   "url": "doc_url"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(PARTY_ROWS):
            self.fields[f"country_{i}"] = forms.ChoiceField(
                label=_("Country (party %(n)s)") % {"n": i + 1}, required=False,
                choices=optional_choices())
            self.fields[f"agency_{i}"] = forms.CharField(
                label=_("Agency (party %(n)s)") % {"n": i + 1}, required=False, max_length=200)
        for i in range(DOCUMENT_ROWS):
            self.fields[f"doc_title_{i}"] = forms.CharField(
                label=_("Document %(n)s: title") % {"n": i + 1}, required=False, max_length=300)
            self.fields[f"doc_reference_{i}"] = forms.CharField(
                label=_("Document %(n)s: reference") % {"n": i + 1}, required=False,
                max_length=200)
            self.fields[f"doc_url_{i}"] = forms.CharField(
                label=_("Document %(n)s: address (https://…)") % {"n": i + 1}, required=False,
                max_length=500)

    @staticmethod
    def initial_of(agreement) -> dict:
        initial = {name: getattr(agreement, name) for name in (
            "title", "kind", "scope", "scope_other", "status", "signed_on", "in_force_on",
            "expires_on", "notes", "version")}
        for i, party in enumerate(list(agreement.parties.all())[:PARTY_ROWS]):
            initial.update({f"country_{i}": party.country, f"agency_{i}": party.agency})
        for i, doc in enumerate(list(agreement.documents.all())[:DOCUMENT_ROWS]):
            initial.update({f"doc_title_{i}": doc.title, f"doc_reference_{i}": doc.reference,
                            f"doc_url_{i}": doc.url})
        return initial

    def service_input(self):
        from .services import AgreementInput, DocumentInput, PartyInput

        data = self.cleaned_data
        parties = [PartyInput(data[f"country_{i}"], data[f"agency_{i}"])
                   for i in range(PARTY_ROWS) if data[f"country_{i}"] or data[f"agency_{i}"]]
        documents = [DocumentInput(data[f"doc_title_{i}"], data[f"doc_reference_{i}"],
                                   data[f"doc_url_{i}"]) for i in range(DOCUMENT_ROWS)
                     if data[f"doc_title_{i}"] or data[f"doc_reference_{i}"] or
                     data[f"doc_url_{i}"]]
        return AgreementInput(
            title=data["title"], kind=data["kind"], scope=data["scope"],
            scope_other=data["scope_other"], status=data["status"], signed_on=data["signed_on"],
            in_force_on=data["in_force_on"], expires_on=data["expires_on"], parties=parties,
            documents=documents, notes=data["notes"])

    def show_service_errors(self, error: ValidationError) -> None:
        apply_service_errors(self, _renamed(error, self.SERVICE_NAMES))


class FundingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("Source"), choices=FundingSource.choices)
    donor = forms.CharField(label=_("Donor (for a donor's funding)"), max_length=200,
                            required=False)
    recipient_kind = forms.ChoiceField(label=_("Recipient"), choices=RecipientKind.choices)
    shelter = forms.TypedChoiceField(label=_("Shelter (for a shelter)"), coerce=int,
                                     required=False, empty_value=None)
    recipient = forms.CharField(label=_("Name of the NGO or programme"), max_length=200,
                                required=False)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3,
                               initial=DEFAULT_CURRENCY)
    needed = forms.DecimalField(label=_("Needed"), required=False, decimal_places=2,
                                max_digits=14)
    allocated = forms.DecimalField(label=_("Allocated"), decimal_places=2, max_digits=14)
    spent = forms.DecimalField(label=_("Spent"), required=False, decimal_places=2,
                               max_digits=14)
    evidence = forms.CharField(label=_("Source document of the figures"), max_length=300)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField(required=False)

    FIELDS = ("year", "source", "donor", "recipient_kind", "shelter", "recipient", "currency",
              "needed", "allocated", "spent", "evidence", "notes")

    def __init__(self, *args, shelters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shelter"].choices = [("", "—"), *((s.pk, s.name) for s in shelters)]

    @staticmethod
    def initial_of(line) -> dict:
        initial = {name: getattr(line, name) for name in FundingForm.FIELDS if name != "shelter"}
        return {**initial, "shelter": line.shelter_id, "version": line.version}

    def service_input(self):
        from .services import FundingInput

        data = self.cleaned_data
        return FundingInput(**{name: data[name] for name in self.FIELDS})

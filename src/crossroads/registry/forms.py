"""Page forms of the register. They check types and required fields; domain rules stay in the services."""

from dataclasses import fields

from django import forms
from django.utils.translation import gettext_lazy as _

from crossroads import countries
from crossroads.pages import DATE_WIDGET
from crossroads.registry import purpose
from crossroads.registry.choices import (
    CaseStatus,
    ContactKind,
    DatePrecision,
    DocumentType,
    ExploitationForm,
    HandlingCode,
    LabourSector,
    LegalBasis,
    MeansOfControl,
    RecruiterRelation,
    Sex,
    SexualExploitationType,
    TrialOutcome,
    VulnerableGroup,
)
from crossroads.registry.services import (
    CaseInput,
    DocumentInput,
    ExploitationInput,
    PersonInput,
)
from crossroads.versions import VersionField


def country_field(label) -> forms.ChoiceField:
    """A country picker: ISO 3166-1 and Kosovo, named and sorted in the reader's language
    (the choices are read at each rendering)."""
    return forms.ChoiceField(label=label, required=False, choices=countries.optional_choices)


def service_input(kind, data: dict, **named):
    """The service's input dataclass `kind` from a form's cleaned data: every field the two
    share by name, plus `named` (the fields this form spells or shapes differently)."""
    shared = {f.name for f in fields(kind)} - set(named)
    return kind(**{name: data[name] for name in shared if name in data}, **named)


class DocumentForm(forms.Form):
    """One identity document: a registration's form holds one, the edit page one per document."""

    doc_type = forms.ChoiceField(label=_("Document type"), required=False,
                                 choices=[("", "—"), *DocumentType.choices])
    doc_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    doc_country = country_field(_("Issuing country"))

    # Where the services' field names differ from this form's.
    service_fields = {"doc_type": "doc_type", "number": "doc_number", "issuing_country": "doc_country"}

    def clean(self):
        data = super().clean()
        document_errors(self, data)
        return data

    def document_input(self) -> DocumentInput | None:
        return document_input(getattr(self, "cleaned_data", {}))


def document_input(d: dict) -> DocumentInput | None:
    """The document of a form's cleaned data as the service takes it; None without a number
    (a row left or made empty)."""
    return (DocumentInput(d.get("doc_type", ""), d["doc_number"], d.get("doc_country", ""))
            if d.get("doc_number") else None)


def document_errors(form, data: dict) -> None:
    """A number needs its type and issuing country (the service checks the number itself)."""
    if data.get("doc_number") and not data.get("doc_type"):
        form.add_error("doc_type", _("Choose the type of the document."))
    if data.get("doc_number") and not data.get("doc_country"):
        form.add_error("doc_country", _("Give the issuing country."))


class PersonForm(forms.Form):
    """A person's identity fields, as a registration and a case's new person take them."""

    given_names = forms.CharField(label=_("Given name(s)"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    father_name = forms.CharField(label=_("Father's name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)
    birth_precision = forms.ChoiceField(label=_("Precision of the date of birth"),
                                        choices=DatePrecision.choices)
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    citizenships = forms.MultipleChoiceField(
        label=_("Citizenships"), required=False, choices=countries.choices,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose more than one."))
    doc_type = DocumentForm.base_fields["doc_type"]
    doc_number = DocumentForm.base_fields["doc_number"]
    doc_country = DocumentForm.base_fields["doc_country"]
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    service_fields = DocumentForm.service_fields
    # What a field the form refused counts as (see `_cleaned`).
    defaults = {"given_names": "", "family_name": "", "citizenships": [], "sex": Sex.UNKNOWN,
                "birth_precision": DatePrecision.EXACT}

    def clean(self):
        data = super().clean()
        document_errors(self, data)
        return data

    # The inputs are built from what parsed, so that the services check every other field
    # in the same submission (a field the form refused is left at its default).
    def _cleaned(self) -> dict:
        return {**self.defaults, **getattr(self, "cleaned_data", {})}

    def person_input(self) -> PersonInput:
        d = self._cleaned()
        document = document_input(d)
        return service_input(PersonInput, d, documents=[document] if document else [],
                             phones=[d["phone"]] if d.get("phone") else [])


class LinesField(forms.CharField):
    """A list typed one item a line (aliases, phones, addresses); empty lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *, max_items: int, **kwargs):
        self.max_items = max_items
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        return [line.strip() for line in (super().to_python(value) or "").splitlines()
                if line.strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_items:
            raise forms.ValidationError(_("At most %(count)d, one a line.") % {
                "count": self.max_items})


ONE_A_LINE = _("One a line.")


class PersonEditForm(PersonForm):
    """The whole identity record, as the API's PUT replaces it: the person's fields, every
    alias and contact (one a line) and, beside it, a `DocumentFormSet` for the documents.
    `version` is the version the form was filled from."""

    doc_type = doc_number = doc_country = phone = None
    aliases = LinesField(label=_("Aliases"), max_items=20, help_text=ONE_A_LINE)
    phones = LinesField(label=_("Phones"), max_items=10, help_text=ONE_A_LINE)
    emails = LinesField(label=_("E-mail addresses"), max_items=10, help_text=ONE_A_LINE)
    addresses = LinesField(label=_("Addresses"), max_items=10, help_text=ONE_A_LINE)
    version = VersionField()

    defaults = {**PersonForm.defaults, "aliases": [], "phones": [], "emails": [], "addresses": []}

    @classmethod
    def initial_of(cls, person) -> dict:
        """The form's values from the stored record (its identity children prefetched)."""
        contacts = {kind: [c.value for c in person.contacts.all() if c.kind == kind]
                    for kind in ContactKind.values}
        return {**{name: getattr(person, name) for name in (
            "given_names", "family_name", "father_name", "sex", "birth_date", "birth_precision",
            "place_of_birth", "citizenships", "version")},
            "aliases": [a.name for a in person.aliases.all()], "phones": contacts[ContactKind.PHONE],
            "emails": contacts[ContactKind.EMAIL], "addresses": contacts[ContactKind.ADDRESS]}

    def person_input(self, documents: list[DocumentInput]) -> PersonInput:
        return service_input(PersonInput, self._cleaned(), documents=documents)


DocumentFormSet = forms.formset_factory(DocumentForm, extra=1, max_num=10, validate_max=True)


def documents_initial(person) -> list[dict]:
    return [{"doc_type": d.doc_type, "doc_number": d.number, "doc_country": d.issuing_country}
            for d in person.documents.all()]


def typed_values(form, formset) -> list[tuple[str, str]]:
    """What a rejected submission held, as (label, text) for every field filled in: shown
    beside the record as it is now, so that nothing typed is lost."""
    shown = []
    for field in form.visible_fields():
        value = field.value()
        if isinstance(field.field, LinesField):
            value = field.field.to_python(value)
        choices = dict(getattr(field.field, "choices", ()) or ())
        values = value if isinstance(value, list | tuple) else [value]
        text = ", ".join(str(choices.get(v, v)) for v in values if v not in ("", None))
        if text:
            shown.append((field.label, text))
    kinds = dict(DocumentType.choices)
    for document in formset:
        number = document["doc_number"].value()
        if number:
            kind = document["doc_type"].value()
            shown.append((_("Identity document"), " ".join(
                str(v) for v in (kinds.get(kind, kind), number, document["doc_country"].value())
                if v)))
    return shown


class RegistrationForm(PersonForm):
    role = forms.ChoiceField(label=_("Status of the person"),
                             choices=[("victim", _("Victim")),
                                      ("presumed_victim", _("Presumed victim"))])
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=HandlingCode.choices)
    opened_on = forms.DateField(label=_("Case opened on"), required=False, widget=DATE_WIDGET)
    summary = forms.CharField(label=_("Summary"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"), choices=ExploitationForm.choices,
        widget=forms.CheckboxSelectMultiple)
    labour_sectors = forms.MultipleChoiceField(label=_("Sectors of labour"), required=False,
                                               choices=LabourSector.choices,
                                               widget=forms.CheckboxSelectMultiple)
    sexual_types = forms.MultipleChoiceField(label=_("Types of sexual exploitation"),
                                             required=False,
                                             choices=SexualExploitationType.choices,
                                             widget=forms.CheckboxSelectMultiple)
    means_of_control = forms.MultipleChoiceField(label=_("Means of control"), required=False,
                                                 choices=MeansOfControl.choices,
                                                 widget=forms.CheckboxSelectMultiple)
    recruiter_relation = forms.ChoiceField(label=_("Recruiter relation"),
                                           choices=RecruiterRelation.choices,
                                           initial=RecruiterRelation.UNKNOWN)
    country_of_recruitment = country_field(_("Country of recruitment"))
    country_of_exploitation = country_field(_("Country of exploitation"))
    municipality_of_exploitation = forms.CharField(label=_("Municipality of exploitation"),
                                                   max_length=100, required=False)
    period_start = forms.DateField(label=_("Exploitation began"), required=False,
                                   widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Exploitation ended"), required=False,
                                 widget=DATE_WIDGET)

    service_fields = {**PersonForm.service_fields, "forms": "forms_of_exploitation",
                      "citizenship": "citizenships"}
    defaults = {**PersonForm.defaults, "forms_of_exploitation": [],
                "handling_code": HandlingCode.H0, "recruiter_relation": RecruiterRelation.UNKNOWN}

    def case_input(self) -> CaseInput:
        return service_input(CaseInput, self._cleaned())

    def exploitation_input(self) -> ExploitationInput:
        d = self._cleaned()
        return service_input(ExploitationInput, d, forms=d["forms_of_exploitation"],
                             citizenship=d["citizenships"][0] if d["citizenships"] else "")


class CaseFilterForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any")), *CaseStatus.choices])
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False,
                             choices=[("", _("Any")), *ExploitationForm.choices])
    year = forms.IntegerField(label=_("Year opened"), required=False, min_value=1990,
                              max_value=2100)
    q = forms.CharField(label=_("Search"), max_length=200, required=False,
                        help_text=_("A reference, or a victim's name where you may see names."))
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("", _("Newest first")), ("reference", _("Reference (A–Z)")),
        ("-reference", _("Reference (Z–A)")), ("opened", _("Opened on (oldest first)")),
        ("-opened", _("Opened on (newest first)")), ("status", _("Status (A–Z)")),
        ("-status", _("Status (Z–A)"))])


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    outcome = forms.ChoiceField(label=_("Outcome of the trial"), required=False,
                                choices=[("", "—"), *TrialOutcome.choices],
                                help_text=_("When the case closes: what the court decided."))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    version = VersionField()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=200,
                        help_text=_("Any script or spelling: Cyrillic, Latin, Albanian."))


class VulnerabilityForm(forms.Form):
    """A person's vulnerable group; the legal basis is checked (and explained) by the service."""

    group = forms.ChoiceField(label=_("Vulnerable group"), choices=VulnerableGroup.choices)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), required=False,
                                    choices=[("", "—"), *LegalBasis.choices])
    legal_reference = forms.CharField(label=_("Legal reference (law, decision or consent)"),
                                      required=False, max_length=300)


class PurposeForm(forms.Form):
    """Why the reader opens a person (or the name search) without a case: the kinds a reader
    may state, the case for case work, a text (required for "other"). `registry.purpose.state`
    validates it."""

    kind = forms.ChoiceField(label=_("Purpose"), widget=forms.RadioSelect, choices=lambda: [
        (kind.value, kind.label) for kind in purpose.STATED_KINDS])
    case_reference = forms.CharField(
        label=_("Case reference (for case work)"), required=False, max_length=40,
        strip=False)
    text = forms.CharField(label=_("Details (required for “Other”)"), required=False,
                           max_length=400, strip=False)
    next = forms.CharField(widget=forms.HiddenInput, max_length=500)

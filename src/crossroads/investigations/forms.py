"""Page forms of investigations. They check types and required fields; domain rules stay in
the services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crossroads.pages import DATE_WIDGET
from crossroads.registry.choices import SUSPECT_ROLES, HandlingCode, InvolvementRole, TeamRole
from crossroads.registry.forms import PersonForm, service_input
from crossroads.versions import VersionField

from .choices import EventKind, Stage, Verdict
from .services import EventInput, OffenceInput, Outcome

REASON = {"label": _("Reason"), "max_length": 500}
MONEY = {"required": False, "min_value": 0, "max_digits": 12, "decimal_places": 2}


class TeamMemberForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150,
                               help_text=_("An active account of the case's jurisdiction."))
    team_role = forms.ChoiceField(label=_("Team role"), choices=TeamRole.choices,
                                  help_text=_("Lead hands the lead over; the former lead stays "
                                              "on the team."))
    version = VersionField()  # the case's, as the page showed it


class TeamRemoveForm(forms.Form):
    version = VersionField()


def role_choices(may_add_suspect: bool, bound: bool):
    """The roles offered; a posted form takes every role, so that the service answers a suspect
    sent by someone who may not add one (403, audited) instead of the form."""
    return [(value, label) for value, label in InvolvementRole.choices
            if may_add_suspect or bound or value not in SUSPECT_ROLES]


class CasePersonForm(PersonForm):
    """A new person of the case: a registration's identity fields and their role in the case."""

    role = forms.ChoiceField(label=_("Role in the case"), choices=InvolvementRole.choices)

    def __init__(self, *args, may_add_suspect: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(may_add_suspect, self.is_bound)


class ExistingPersonForm(forms.Form):
    person_id = forms.IntegerField(label=_("Person number"), min_value=1,
                                   help_text=_("The number on the person's page (Person #…)."))
    role = forms.ChoiceField(label=_("Role in the case"), choices=InvolvementRole.choices)

    def __init__(self, *args, may_add_suspect: bool, **kwargs):
        super().__init__(*args, prefix="existing", **kwargs)
        self.fields["role"].choices = role_choices(may_add_suspect, self.is_bound)


class HandlingCodeForm(forms.Form):
    handling_code = forms.ChoiceField(label=_("New handling code"), choices=HandlingCode.choices,
                                      help_text=_("A raise applies at once; a lowering waits for "
                                                  "a second person of the owner agency."))
    reason = forms.CharField(**REASON)
    version = VersionField()


class DecisionForm(forms.Form):
    reason = forms.CharField(**REASON, required=False,
                             help_text=_("Required when you reject."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decision", **kwargs)


class OwnershipForm(forms.Form):
    agency_id = forms.TypedChoiceField(label=_("New owner agency"), coerce=int)
    lead = forms.CharField(label=_("Lead in that agency (user name)"), max_length=150)
    reason = forms.CharField(**REASON)
    version = VersionField()
    # The new lead's account is checked as a team member's (`username`, `team_role`).
    service_fields = {"username": "lead", "team_role": "lead"}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, prefix="owner", **kwargs)
        self.fields["agency_id"].choices = [(a.pk, a.name) for a in agencies]


class SuspectMarkerForm(forms.Form):
    public_official = forms.BooleanField(label=_("Public official (corruption link)"),
                                         required=False)
    group_id = forms.TypedChoiceField(label=_("Organised-crime group"), required=False,
                                      coerce=int, empty_value=None)
    version = VersionField()  # the case's, as the page showed it

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_id"].choices = [("", _("None")), *((g.pk, g.name) for g in groups)]


class CrimeGroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="group", **kwargs)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    participants = forms.CharField(label=_("Participants"), max_length=1000, required=False)
    narrative = forms.CharField(label=_("What happened"), max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 5}))

    def event_input(self) -> EventInput:
        return service_input(EventInput, self.cleaned_data)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, JPEG, PNG or plain text, at most %(size)s MB.") % {
            "size": settings.CROSSROADS_EVIDENCE_MAX_BYTES // (1024 * 1024)},
        error_messages={"required": _("Choose a file (a larger file is not received).")})

    def __init__(self, *args, event_id: int, **kwargs):
        super().__init__(*args, prefix=f"e{event_id}", **kwargs)


class OutcomeForm(forms.Form):
    """What a stage records besides its date (the services' `Outcome`)."""

    verdict = forms.ChoiceField(label=_("Verdict"), required=False,
                                choices=[("", "—"), *Verdict.choices])
    custodial_months = forms.IntegerField(label=_("Custodial sentence (months)"), required=False,
                                          min_value=1, max_value=1200)
    suspended = forms.BooleanField(label=_("Suspended"), required=False)
    fine_eur = forms.DecimalField(label=_("Fine (EUR)"), **MONEY)
    confiscation = forms.BooleanField(label=_("Confiscation of proceeds"), required=False)
    compensation_claimed_eur = forms.DecimalField(label=_("Compensation claimed (EUR)"), **MONEY)
    compensation_awarded_eur = forms.DecimalField(label=_("Compensation awarded (EUR)"), **MONEY)
    non_punishment_invoked = forms.BooleanField(
        label=_("Non-punishment invoked (a victim charged)"), required=False)

    def outcome(self) -> Outcome:
        return service_input(Outcome, self.cleaned_data)


class ProceedingForm(forms.Form):
    person_id = forms.TypedChoiceField(label=_("Person"), coerce=int)
    offence = forms.ChoiceField(label=_("Offence"))
    investigation_opened_on = forms.DateField(label=_("Investigation opened on"),
                                              widget=DATE_WIDGET)
    compensation_claimed_eur = forms.DecimalField(label=_("Compensation claimed (EUR)"), **MONEY)
    non_punishment_invoked = forms.BooleanField(
        label=_("Non-punishment invoked (a victim charged)"), required=False)

    def __init__(self, *args, persons, offences, **kwargs):
        super().__init__(*args, prefix="open", **kwargs)
        self.fields["person_id"].choices = [
            (i.person_id, f"{i.person} ({i.get_role_display()})") for i in persons]
        self.fields["offence"].choices = [(o.code, str(o)) for o in offences]

    def outcome(self) -> Outcome:
        return service_input(Outcome, self.cleaned_data)


class StageForm(OutcomeForm):
    stage = forms.ChoiceField(label=_("Next stage"), choices=Stage.choices)
    on = forms.DateField(label=_("On"), widget=DATE_WIDGET)
    from_stage = forms.CharField(widget=forms.HiddenInput)
    field_order = ["stage", "on"]

    def __init__(self, *args, proceeding, allowed, **kwargs):
        super().__init__(*args, prefix=f"p{proceeding.pk}",
                         initial={"from_stage": proceeding.stage}, **kwargs)
        self.fields["stage"].choices = [(s.value, s.label) for s in Stage if s in allowed]


class OffenceForm(forms.Form):
    """A correction or confirmation of an entry of the offence catalogue."""

    article = forms.CharField(label=_("Article"), max_length=40, required=False,
                              help_text=_("As the code numbers it, e.g. 110/a; empty if not "
                                          "known."))
    title = forms.CharField(label=_("Title"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("The official text the entry was compared with."))
    checked = forms.BooleanField(label=_("Checked against the official text of the code"),
                                 required=False)
    version = VersionField()  # the entry's, as the page showed it

    def offence_input(self) -> OffenceInput:
        return service_input(OffenceInput, self.cleaned_data)

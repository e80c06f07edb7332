"""Page forms of victim assistance: types and required fields; the rules are in the services."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crossroads.pages import DATE_WIDGET
from crossroads.versions import VersionField

from .choices import (
    REFERRAL_PURPOSES,
    STATUS_TRANSITIONS,
    STRONG,
    WEAK,
    ChildMeasure,
    ConsentPurpose,
    IdentificationStatus,
    IndicatorGroup,
    MilestoneKind,
    PermitDecision,
    PermitGround,
    ReferralReason,
    ReferralStatus,
    ReferralUrgency,
    ReturnRisk,
    ServiceKind,
    indicators_for,
)

WEIGHT_LABELS = {STRONG: _("strong"), 2: _("medium"), WEAK: _("weak")}


class OpenFileForm(forms.Form):
    may_be_child = forms.BooleanField(label=_("May be a child (age uncertain)"), required=False)
    unaccompanied = forms.BooleanField(label=_("Unaccompanied child"), required=False)


class ScreeningForm(forms.Form):
    """One group of checkboxes per form of exploitation; the labels say each weight."""

    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, child: bool, **kwargs):
        super().__init__(*args, **kwargs)
        groups = {}
        for indicator in indicators_for(child):
            groups.setdefault(indicator.group, []).append(
                (indicator.code, f"{indicator.label} ({WEIGHT_LABELS[indicator.weight]}, "
                                 f"{indicator.source})"))
        self.groups = []
        for group, choices in groups.items():
            name = f"group_{group}"
            self.fields[name] = forms.MultipleChoiceField(
                label=IndicatorGroup(group).label, choices=choices, required=False,
                widget=forms.CheckboxSelectMultiple)
            self.groups.append(name)
        self.order_fields([*self.groups, "notes"])

    def indicators(self) -> list[str]:
        return [code for name in self.groups for code in self.cleaned_data.get(name, [])]


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(label=_("Reason"), max_length=500)
    # The status the form was opened on: a decision taken meanwhile makes it stale.
    from_status = forms.ChoiceField(choices=IdentificationStatus.choices, widget=forms.HiddenInput)

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_status"].initial = current
        allowed = STATUS_TRANSITIONS[IdentificationStatus(current)]
        self.fields["status"].choices = [(s.value, s.label) for s in IdentificationStatus
                                         if s in allowed]


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(label=_("Answer"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Given")), ("no", _("Refused or withdrawn"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=500)


class ReferralForm(forms.Form):
    to_agency = forms.ChoiceField(label=_("Refer to"), choices=())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=list(REFERRAL_PURPOSES.items()))
    reason = forms.ChoiceField(label=_("Reason for referral"), choices=ReferralReason.choices)
    note = forms.CharField(label=_("Details"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=ReferralUrgency.choices,
                                initial=ReferralUrgency.ROUTINE, required=False)
    transfer = forms.BooleanField(label=_("Transfer case ownership"), required=False)
    best_interest_override = forms.CharField(
        label=_("Child's best interest (only when a child's consent is missing)"), required=False,
        max_length=500, help_text=_("Recorded and audited as an override of consent."))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = [(a.pk, f"{a.name} ({a.get_kind_display()})")
                                            for a in agencies]


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Referrals"), required=False, choices=[
        ("", _("Sent and received")), ("received", _("Received by your agency")),
        ("sent", _("Sent by your agency"))])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *ReferralStatus.choices])

    def __init__(self, *args, may_act=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_act:  # coordinators: every referral of the jurisdiction, none their own
            del self.fields["direction"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    planned_on = forms.DateField(label=_("Planned on"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ServiceUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=[("delivered", _("Delivered")),
                                        ("refused", _("Refused by the person"))])
    version = VersionField()


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    reached_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class AdmissionForm(forms.Form):
    shelter = forms.ChoiceField(label=_("Shelter"), choices=())
    admitted_on = forms.DateField(label=_("Admitted on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, shelters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shelter"].choices = [
            (s.pk, ngettext("%(name)s (%(free)s of %(places)s place free)",
                            "%(name)s (%(free)s of %(places)s places free)", s.capacity)
             % {"name": s.name, "free": s.free, "places": s.capacity}) for s in shelters]


class ShelterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=999)
    accepts_children = forms.BooleanField(label=_("Accepts children"), required=False)


class ShelterChangeForm(ShelterForm):
    active = forms.BooleanField(label=_("Open (takes admissions)"), required=False)
    version = VersionField()


class CapacityForm(forms.Form):
    on = forms.DateField(label=_("On"), required=False, widget=DATE_WIDGET)


class ProtectionConfigForm(forms.Form):
    reflection_days = forms.IntegerField(label=_("Recovery and reflection period (days)"),
                                         min_value=1, max_value=365)
    residence_permit_days = forms.IntegerField(label=_("Residence permit decision within (days)"),
                                               min_value=1, max_value=365)
    guardian_days = forms.IntegerField(label=_("Guardian appointed within (days)"),
                                       min_value=1, max_value=365)


class PermitForm(forms.Form):
    """A residence permit application and, once taken, its decision (CETS 197 Art. 14)."""

    ground = forms.ChoiceField(label=_("Ground"), choices=PermitGround.choices)
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE_WIDGET)
    decision = forms.ChoiceField(label=_("Decision"), choices=PermitDecision.choices,
                                 initial=PermitDecision.PENDING)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE_WIDGET)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE_WIDGET)
    renewal_of = forms.TypedChoiceField(label=_("Renews the permit"), required=False, coerce=int,
                                        empty_value=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, granted=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["renewal_of"].choices = [("", _("No, a first application"))] + [
            (p.pk, _("Valid until %(date)s") % {"date": formats.date_format(
                p.valid_until, "SHORT_DATE_FORMAT")}) for p in granted]


class PermitChangeForm(PermitForm):
    version = VersionField()


class AssessmentForm(forms.Form):
    """A child's best-interests assessment (CETS 197 Art. 10(4), 16(7))."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_WIDGET)
    assessor = forms.CharField(label=_("Assessed by (name and profession)"), max_length=200)
    guardian_appointed = forms.BooleanField(label=_("A guardian is appointed"), required=False)
    guardian_appointed_on = forms.DateField(label=_("Guardian appointed on"), required=False,
                                            widget=DATE_WIDGET)
    child_heard = forms.BooleanField(label=_("The child's views were heard"), required=False)
    child_views = forms.CharField(label=_("The child's views"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    return_risk = forms.ChoiceField(label=_("Return risk and security assessment"),
                                    choices=ReturnRisk.choices, initial=ReturnRisk.NOT_ASSESSED)
    measures = forms.MultipleChoiceField(label=_("Recommended measures"), required=False,
                                         choices=ChildMeasure.choices,
                                         widget=forms.CheckboxSelectMultiple)
    outcome = forms.CharField(label=_("Outcome"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

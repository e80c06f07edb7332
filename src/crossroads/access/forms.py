"""Account and agency forms of the administrators' pages (types and required fields; the
four-eyes rules are in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crossroads.versions import VersionField

from .approvals import NO_PASSWORDS
from .choices import AgencyKind, Role
from .models import Agency, User


class AccountForm(forms.ModelForm):
    """An account as an administrator sees it: never its password. A new account's user sets
    their own through the activation link; an existing account can be sent a reset link."""

    reset_password = forms.BooleanField(
        label=_("Send a password reset link"), required=False,
        help_text=_("Once a second administrator approves, the current password stops working, "
                    "the account's API tokens are revoked, and the approver receives a "
                    "single-use link to give to the user."))
    version = VersionField()

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "agency", "role", "is_active"]

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["agency"].required = True
        self.fields["role"].required = True
        self.fields["role"].choices = Role.choices
        if self.instance.pk is None:
            del self.fields["reset_password"]
        _versioned(self)

    def clean(self):
        if self.data.get("password"):
            # The form of earlier versions had a password field: say what to do instead.
            raise forms.ValidationError(NO_PASSWORDS)
        return super().clean()


class AgencyForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Agency
        fields = ["name", "kind", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AgencyKind.choices
        _versioned(self)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = Agency.objects.filter(jurisdiction_id=self.instance.jurisdiction_id, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An agency of this name already exists."))
        return name


def _versioned(form: forms.ModelForm) -> None:
    """The hidden version of the record the form shows; a new record has none yet."""
    if form.instance.pk is None:
        del form.fields["version"]
    else:
        form.fields["version"].initial = form.instance.version

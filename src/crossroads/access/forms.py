"""Account and agency forms of the administrators' pages (types and required fields; the
four-eyes rules are in the services)."""

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
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


def _other_languages():
    return [(code, label) for code, label in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class AgencyForm(forms.ModelForm):
    """The official name, and the name shown to readers of each other language (optional: the
    official name is shown where one is left empty)."""

    version = VersionField()

    class Meta:
        model = Agency
        fields = ["name", "kind", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AgencyKind.choices
        _versioned(self)
        for code, label in _other_languages():
            self.fields[f"name_{code}"] = forms.CharField(
                label=format_lazy(_("Name in {language}"), language=label), max_length=200,
                required=False, initial=self.instance.names.get(code, ""))

    def clean(self):
        data = super().clean()
        data["names"] = {code: name for code, _label in _other_languages()
                         if (name := " ".join(data.pop(f"name_{code}", "").split()))}
        return data

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

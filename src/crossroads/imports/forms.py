"""The import page's form: the register's file, its mapping (or the shipped sample's), what a
bad row does, and the dry run."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import OnBadRow


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Register (CSV file, UTF-8)"))
    mapping = forms.CharField(
        label=_("Column mapping (YAML)"), required=False, max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("Paste your mapping, or leave it empty to use the shipped mapping for an "
                    "NGO's register."))
    on_bad_row = forms.ChoiceField(label=_("A bad row"), choices=OnBadRow.choices,
                                   initial=OnBadRow.SKIP)
    dry_run = forms.BooleanField(label=_("Dry run: check and count every row, import nothing"),
                                 required=False)

    def __init__(self, *args, too_large: bool = False, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large  # then the file was dropped unread: say why, not "required"
        self.fields["file"].required = not too_large
        if agencies is not None:  # a national coordinator imports another agency's register
            self.fields["agency_id"] = forms.TypedChoiceField(
                label=_("Agency whose register it is"), coerce=int,
                choices=[("", "—"), *((a.pk, a.name) for a in agencies)],
                help_text=_("The cases become this agency's."))
            self.fields["lead"] = forms.CharField(
                label=_("Lead of the cases (user name)"), max_length=150,
                help_text=_("An active case worker, investigator or prosecutor of that agency: "
                            "the rows are registered as their account and they lead the cases. "
                            "You see no name or other value of the file, only line and field "
                            "of each error."))
            self.order_fields(["agency_id", "lead"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.too_large:
            raise forms.ValidationError(
                _("The file is larger than %(megabytes)s MB: import it with the command "
                  "`crossroads import cases`.") % {"megabytes": settings.FILE_UPLOAD_MAX_MEMORY_SIZE >> 20})
        return upload

"""Page forms of networks: the filters of the network view, an FtM file, a call-records CSV
with its column mapping. They check types and required fields; the services check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CSV_COLUMNS, LINK_ENDS

DATE_HELP = _("An FtM date: a year (2025), a month (2025-03) or a day (2025-03-14).")


class NetworkFilterForm(forms.Form):
    """What the picture and its summary show: link types and a period (links overlapping it)."""

    schema = forms.MultipleChoiceField(
        label=_("Link types"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(name, name) for name in LINK_ENDS],
        help_text=_("All types when none is ticked."))
    start = forms.RegexField(label=_("From"), required=False, max_length=10,
                             regex=r"^\d{4}(-\d{2}(-\d{2})?)?$", help_text=DATE_HELP,
                             error_messages={"invalid": _("Give a year, a month or a day "
                                                          "(2025, 2025-03, 2025-03-14).")})
    end = forms.RegexField(label=_("To"), required=False, max_length=10,
                           regex=r"^\d{4}(-\d{2}(-\d{2})?)?$", help_text=DATE_HELP,
                           error_messages={"invalid": _("Give a year, a month or a day "
                                                        "(2025, 2025-03, 2025-03-14).")})

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end comes before the start."))
        return data

    def filters(self) -> dict:
        """The filters for the queries (none where the form is not valid)."""
        if not self.is_valid():
            return {"schemata": [], "start": "", "end": ""}
        data = self.cleaned_data
        return {"schemata": data["schema"], "start": data["start"], "end": data["end"]}


SOURCE = {"label": _("Source"), "max_length": 200,
          "help_text": _("Where the data came from: a seizure, a production order, an Aleph "
                         "collection.")}


class FtmFileForm(forms.Form):
    file = forms.FileField(label=_("FtM file (JSON lines)"),
                           help_text=_("One FollowTheMoney entity per line, as Aleph and the "
                                       "OpenSanctions tools write them. A large file is "
                                       "imported in the background."))
    source = forms.CharField(**SOURCE)


def mapping_form(kind: str, file_label, file_help) -> type[forms.Form]:
    """A CSV and which of its columns hold what (`choices.CSV_COLUMNS`: the file's header
    names them; a field that the header can guess may stay empty)."""
    fields = {"file": forms.FileField(label=file_label, help_text=file_help)}
    for column in CSV_COLUMNS[kind]:
        fields[column.name] = forms.CharField(
            label=column.label, max_length=100, initial=column.initial or None,
            required=column.required and not column.guesses, help_text=column.help_text)
    fields["source"] = forms.CharField(**SOURCE)
    return type(f"{kind.title()}Form", (forms.Form,), fields)


CSV_HELP = _("UTF-8, with a header line naming the columns.")
CdrForm = mapping_form("cdr", _("Call records (CSV)"), CSV_HELP)
BankForm = mapping_form("bank", _("Bank statement (CSV)"), CSV_HELP)

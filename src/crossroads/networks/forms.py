"""Page forms of networks: the filters of the network view, an FtM file, a call-records CSV
with its column mapping. They check types and required fields; the services check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import LINK_ENDS

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


class CdrForm(forms.Form):
    """A call-records CSV and which of its columns hold what (the file's header names them)."""

    file = forms.FileField(label=_("Call records (CSV)"),
                           help_text=_("UTF-8, with a header line naming the columns."))
    caller = forms.CharField(label=_("Column of the calling number"), max_length=100,
                             initial="caller")
    receiver = forms.CharField(label=_("Column of the called number"), max_length=100,
                               initial="receiver")
    start = forms.CharField(label=_("Column of the call's start"), max_length=100,
                            initial="start")
    duration = forms.CharField(label=_("Column of the duration in seconds"), max_length=100,
                               required=False, initial="duration",
                               help_text=_("Leave empty if the file has none."))
    source = forms.CharField(**SOURCE)

"""Vocabularies of the imports: what a bad row does to the import, and where an import stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnBadRow(models.TextChoices):
    SKIP = "skip", _("Skip bad rows, import the others")
    REJECT = "reject", _("Reject the whole file if a row is bad")


class ImportStatus(models.TextChoices):
    READY = "ready", _("Ready: check the preview, then start")
    QUEUED = "queued", _("Queued")
    CHECKING = "checking", _("Checking the rows")
    WRITING = "writing", _("Importing")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected: nothing imported")
    CHECKED = "checked", _("Checked (dry run): nothing imported")
    FAILED = "failed", _("Failed")


FINISHED = {ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.CHECKED, ImportStatus.FAILED}

"""An import of an existing register, and the source ids it has brought in."""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from crossroads.access.models import Agency, Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.jobs.models import Job
from crossroads.keys.fields import EncryptedTextField, row_key_field
from crossroads.registry.models import Case, Person

from .choices import FINISHED, ImportStatus, OnBadRow


class CaseImport(models.Model):
    """One import of a CSV file with its mapping, run as a background job
    (`tasks.case_import`). The file is kept sealed with the node's keyring (`path`) until the
    import ends; the counts and the first problems (line, field, message) stay."""

    MAX_PROBLEMS = 1000

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    # A coordinator's import for another agency: the account of that agency the rows are
    # registered as (it leads the cases); null when the requester imports for their own agency.
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    job = models.OneToOneField(Job, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="case_import")
    file_name = models.CharField(max_length=255)
    path = models.CharField(max_length=1000, blank=True)   # the sealed copy; "" once removed
    digest = models.CharField(max_length=64)               # SHA-256 of the file as uploaded
    size = models.PositiveBigIntegerField(default=0)
    mapping = models.JSONField()                           # mapping.Mapping.as_json()
    on_bad_row = models.CharField(max_length=6, choices=OnBadRow.choices, default=OnBadRow.SKIP)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # The first MAX_PROBLEMS errors, JSON [{line, column, field, message, outcome}]: encrypted,
    # as a message may quote a source value (a date of birth that is not one).
    problems = EncryptedTextField(blank=True)
    row_key = row_key_field()
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"import {self.pk} of {self.file_name}"

    @property
    def acting(self):
        """The account every row is checked and registered as."""
        return self.lead if self.lead_id else self.requested_by

    @property
    def for_another_agency(self) -> bool:
        """A coordinator's import: its pages and report show no value of the file."""
        return self.lead_id is not None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def problem_list(self) -> list[dict]:
        return json.loads(self.problems) if self.problems else []


class SourceRecord(models.Model):
    """A row of a source register brought in: its id in that system, the case and person it
    became, and a keyed digest of each mapped field as imported (no plaintext), so that a
    second run knows the row and names the fields changed in the source since."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    system = models.CharField(max_length=100)
    source_id = models.CharField(max_length=200)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    imported_by = models.ForeignKey(CaseImport, on_delete=models.PROTECT, related_name="records")
    field_digests = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "system", "source_id"],
                                               name="imports_one_record_per_source_id")]

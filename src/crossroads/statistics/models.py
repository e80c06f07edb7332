"""Statistics rows: imported CTDC records (no person, no identity, no link to a case),
releases, the privacy budget and ledger of differentially private releases, and the
maintained summary behind the dashboards."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from crossroads.access.models import Jurisdiction
from crossroads.access.policy import RestrictedQuerySet
from crossroads.jobs.models import Job

from .choices import (  # noqa: F401 (the vocabularies stay importable from here)
    COLUMN_LABELS,
    TABLE_LABELS,
    BudgetChangeStatus,
    CtdcLayout,
    ReleaseKind,
    ReleaseStatus,
    value_label,
)
from .fidelity import verdict


class CtdcRecord(models.Model):
    """One row of a CTDC file (global k-anonymised, 2024 synthetic or victim-perpetrator
    synthetic), reduced to the columns the node's statistics use; the whole row is kept in
    `raw`. Values keep the CTDC vocabulary after normalisation: gender F/M/X/U, age band as
    `ageBroad`, majority Minor/Adult/"", countries ISO alpha-2 where the file has countries
    (the victim-perpetrator file has UN regions only, kept in `raw`)."""

    Layout = CtdcLayout

    layout = models.CharField(max_length=10, choices=Layout.choices, db_index=True)
    source_file = models.CharField(max_length=255, blank=True)
    line = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    years = models.CharField(max_length=9, blank=True)  # a period ("2014-2018") instead of a year
    gender = models.CharField(max_length=1, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    majority = models.CharField(max_length=8, blank=True)
    citizenship = models.CharField(max_length=2, blank=True)
    country_of_exploitation = models.CharField(max_length=2, blank=True)
    forms = models.JSONField(default=list)              # crossroads ExploitationForm codes
    labour_sectors = models.JSONField(default=list)
    sexual_types = models.JSONField(default=list)
    means_of_control = models.JSONField(default=list)
    recruiter_relation = models.CharField(max_length=20, blank=True)
    raw = models.JSONField(default=dict)
    imported_at = models.DateTimeField(auto_now_add=True)
    # The source id of the row: the SHA-256 of the file it came from, with `line`; an import of
    # the same file again stores no row twice. Empty for rows imported before source ids.
    source_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "CTDC record"
        constraints = [models.UniqueConstraint(
            fields=["source_digest", "line"], condition=~models.Q(source_digest=""),
            name="ctdc_record_one_per_source_line")]


class CtdcImport(models.Model):
    """One import of a CTDC file, run as a background job (`statistics.tasks.ctdc_import`):
    the file, who asked, and what it did (rows imported, rows already held from an earlier
    import of the same file, rows rejected with the first problems by line)."""

    MAX_PROBLEMS = 200

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    job = models.OneToOneField(Job, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="ctdc_import")
    path = models.CharField(max_length=1000)
    digest = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    layout = models.CharField(max_length=10, choices=CtdcLayout.choices)
    imported = models.PositiveIntegerField(default=0)
    already = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)  # [[line, message], ...], the first MAX_PROBLEMS
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]




class Release(models.Model):
    """One release: what was asked, what was made (the folder under the release directory,
    its manifest and the SHA-256 of every file) and who prepared and approved it.

    Every release, whether asked for on the pages, the API or the command line (`crossroads
    release --user`, `regional publish --user`), is prepared for one coordinator, runs as a
    background job (its `job` holds the progress; `status` is the release's own life, four-eyes
    included), and leaves the node only after a second coordinator of the jurisdiction approves
    it (four-eyes). A release marked `publish_to_hub` is sent to the regional hub when it is
    approved."""

    kind = models.CharField(max_length=10, choices=ReleaseKind.choices)
    status = models.CharField(max_length=10, choices=ReleaseStatus.choices,
                              default=ReleaseStatus.QUEUED, db_index=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # null: every record of the node (CLI)
    parameters = models.JSONField(default=dict)       # columns, k, threshold, epsilon as asked
    epsilon = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    k = models.PositiveSmallIntegerField(null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    suppression_rate = models.FloatField(null=True, blank=True)
    records = models.PositiveIntegerField(null=True, blank=True)
    manifest = models.JSONField(default=dict)
    # synthetic: its marginals beside the real ones (statistics.fidelity); stays in the node
    fidelity = models.JSONField(default=dict, blank=True)
    files = models.JSONField(default=dict)            # file name -> SHA-256
    folder = models.CharField(max_length=255, blank=True)  # relative to the release directory
    error = models.CharField(max_length=500, blank=True)     # why it was refused or failed
    job = models.OneToOneField(Job, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="release")  # its background job (made on a page)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")  # null: the operator's CLI
    created_at = models.DateTimeField(default=timezone.now)
    prepared_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    approved_by_name = models.CharField(max_length=150, blank=True)  # as in the manifest
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    publish_to_hub = models.BooleanField(default=False)  # `regional publish`: sent on approval

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def active(self) -> bool:
        return self.status in {ReleaseStatus.QUEUED, ReleaseStatus.RUNNING}

    @property
    def epsilon_shown(self) -> str | None:
        """ε as written (0.5, 5), not as stored (5.000000)."""
        return None if self.epsilon is None else format(self.epsilon.normalize(), "f")

    @property
    def column_labels(self) -> list[str]:
        """The released tables or columns by name, not by identifier."""
        return [str(TABLE_LABELS.get(c) or COLUMN_LABELS.get(c, c))
                for c in self.parameters.get("columns", [])]

    @property
    def fidelity_verdict(self) -> str:
        """close, usable or refused (statistics.fidelity); empty without a comparison."""
        if not self.fidelity:
            return ""
        return verdict(self.fidelity["score"], settings.CROSSROADS_SYNTHETIC_FIDELITY_FLOOR)

    @property
    def fidelity_columns(self) -> list[dict]:
        """Per column: its label, distance in per cent, and (value label, real %, release %)."""
        return [{"label": str(COLUMN_LABELS.get(c["column"], c["column"])),
                 "distance": round(c["distance"] * 100),
                 "values": [(str(value_label(c["column"], v)), round(a * 100, 1), round(b * 100, 1))
                            for v, a, b in c["values"]]}
                for c in self.fidelity.get("columns", [])]

    @property
    def percent(self) -> int:
        if not self.active:
            return 100
        return self.job.percent if self.job_id else 0


class PrivacyBudget(models.Model):
    """The total ε that differentially private releases may spend on one dataset: the
    exploitation records of one jurisdiction. Its row is locked while a release is charged."""

    jurisdiction = models.OneToOneField(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    total_epsilon = models.DecimalField(max_digits=10, decimal_places=6)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction_id"]



class BudgetChange(models.Model):
    """A raise of a dataset's total ε asked for by one coordinator; it applies only once a
    second coordinator of the jurisdiction approves it (four-eyes). Lowering a total applies
    at once (it can only protect more) and is recorded here as approved by its requester."""

    budget = models.ForeignKey(PrivacyBudget, on_delete=models.PROTECT, related_name="changes")
    previous_total = models.DecimalField(max_digits=10, decimal_places=6)
    new_total = models.DecimalField(max_digits=10, decimal_places=6)
    status = models.CharField(max_length=10, choices=BudgetChangeStatus.choices,
                              default=BudgetChangeStatus.PENDING, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]


class PrivacyLedgerEntry(models.Model):
    """ε spent on a dataset by one release (append-only; the budget's remaining ε is its
    total minus the sum of its entries)."""

    budget = models.ForeignKey(PrivacyBudget, on_delete=models.PROTECT, related_name="entries")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="ledger_entries")
    epsilon = models.DecimalField(max_digits=10, decimal_places=6)
    spent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    spent_by_name = models.CharField(max_length=150, blank=True)
    spent_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-spent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["budget", "release"],
                                               name="ledger_one_entry_per_release")]


class SummaryYear(models.Model):
    """One year of one jurisdiction in the dashboards' maintained summary, as the database sees
    its writes: triggers (migration 0004) add one to `changes`, in the same transaction, for
    every write that can change a count of that year (an exploitation record inserted, changed
    or deleted; a case's handling code or jurisdiction changed; a person's sex or merge changed;
    a status change of a case recorded). Only the triggers write this table."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    changes = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["jurisdiction_id", "year"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"],
                                               name="summary_one_row_per_year")]


class SummaryBuild(models.Model):
    """The `changes` of a year that its stored counts were computed at. The year's counts are
    current while this equals its `SummaryYear.changes`; until then the dashboards count that
    year live. Only the summary task writes this table, so it never waits on the triggers."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    version = models.PositiveBigIntegerField()
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["jurisdiction_id", "year"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"],
                                               name="summary_one_build_per_year")]


class SummaryCount(models.Model):
    """Victims of one jurisdiction's unrestricted cases in one cell of a dashboard measure:
    (measure, value, year). Unsuppressed: read only through the policy's COUNT action and
    released only through `disclosure.suppress_table`, like a live count."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=32)
    code = models.CharField(max_length=255)   # the value as JSON ("F", true, "")
    victims = models.PositiveIntegerField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction_id", "measure", "year", "code"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "measure", "year", "code"],
                                               name="summary_one_count_per_cell")]

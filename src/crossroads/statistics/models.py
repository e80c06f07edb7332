"""Statistics-only rows: imported CTDC records. No person, no identity, no link to a case."""

from django.db import models


class CtdcRecord(models.Model):
    """One row of a CTDC file (global k-anonymised, 2024 synthetic or victim-perpetrator
    synthetic), reduced to the columns the node's statistics use; the whole row is kept in
    `raw`. Values keep the CTDC vocabulary after normalisation: gender F/M/X/U, age band as
    `ageBroad`, majority Minor/Adult/"", countries ISO alpha-2 where the file has countries
    (the victim-perpetrator file has UN regions only, kept in `raw`)."""

    class Layout(models.TextChoices):
        GLOBAL = "global", "global k-anonymised"
        SYNTHETIC = "synthetic", "2024 synthetic"
        VICTIM_PERPETRATOR = "vp", "victim-perpetrator synthetic"

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

    class Meta:
        ordering = ["id"]
        verbose_name = "CTDC record"

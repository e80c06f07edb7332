"""Networks: the FollowTheMoney entities and links of a case, each tied to the case and to the
source it came from. Properties are FtM property values (JSON), encrypted at rest; the values
that identify an entity across cases (phones, e-mails, IBANs, plates, documents, company
numbers) are indexed as keyed hashes (`Selector`), never in clear."""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from followthemoney import model

from crossroads.access.policy import RestrictedQuerySet
from crossroads.jobs.models import Job
from crossroads.keys.fields import EncryptedTextField, row_key_field
from crossroads.registry.models import Case, Person

from .choices import SelectorKind, Verdict

FTM_ID = 128


class FtmRecord(models.Model):
    """What entities and links share: the FtM id (kept on a round trip), the schema, the
    properties, the case and the source."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    ftm_id = models.CharField(_("FtM id"), max_length=FTM_ID)
    schema = models.CharField(_("schema"), max_length=40)
    properties_json = EncryptedTextField(default="{}")
    source = models.CharField(_("source"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def properties(self) -> dict[str, list[str]]:
        return json.loads(self.properties_json or "{}")

    @property
    def caption(self) -> str:
        return model.get_proxy({"id": self.ftm_id, "schema": self.schema,
                                "properties": self.properties}).caption


class Entity(FtmRecord):
    """A node of a case's network; a Person may be the register's person of the case."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="network_entities")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "ftm_id"],
                                               name="network_entity_id_once")]


class Link(FtmRecord):
    """An FtM interval between two entities of the same case (source → target as the schema
    names its ends); dates are FtM prefix dates, so they compare as text."""

    source_entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="links_out")
    target_entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="links_in")
    start_date = models.CharField(_("start"), max_length=32, blank=True)
    end_date = models.CharField(_("end"), max_length=32, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "ftm_id"],
                                               name="network_link_id_once")]
        indexes = [models.Index(fields=["schema", "start_date"], name="network_link_period")]


class Selector(models.Model):
    """A keyed hash (`registry.blind_index.digest`) of one normalised identifying value."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="selectors")
    kind = models.CharField(_("kind"), max_length=16, choices=SelectorKind.choices)
    digest = models.CharField(max_length=32)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "kind", "digest"],
                                               name="network_selector_once")]
        indexes = [models.Index(fields=["kind", "digest"], name="network_selector_digest")]


class FtmImport(models.Model):
    """An FtM file queued for the task runner (`tasks.ftm_import`), run as its requester under
    the policy at run time; its problems (they may quote values) are encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    path = models.CharField(max_length=1000)
    # A page's upload, sealed with the node's keyring (removed once read); else a file the
    # operator named on the command line, read where it lies.
    sealed = models.BooleanField(default=False)
    source = models.CharField(max_length=200)
    job = models.OneToOneField(Job, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="ftm_import")
    entities = models.PositiveIntegerField(default=0)
    links = models.PositiveIntegerField(default=0)
    problems_json = EncryptedTextField(default="{}")
    row_key = row_key_field()

    objects = RestrictedQuerySet.as_manager()

    @property
    def problems(self) -> dict[str, list[str]]:
        return json.loads(self.problems_json or "{}")


class Judgement(models.Model):
    """Whether two entities (`left` has the lower id) are the same, as an investigator judged."""

    left = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("judgement"), max_length=10, choices=Verdict.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="judgement_once"),
                       models.CheckConstraint(condition=models.Q(left__lt=models.F("right")),
                                              name="judgement_ordered")]

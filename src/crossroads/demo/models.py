"""Ground truth kept by the demo: which person rows are the same real (synthetic) person."""

from django.db import models


class DuplicatePair(models.Model):
    original = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")


class CrossBorderRecord(models.Model):
    """This node's record of a synthetic person whom another jurisdiction also records."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=20)  # the same key at the partner's node
    partner = models.CharField(max_length=2)  # the other jurisdiction recording the person

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "partner"],
                                               name="demo_crossborder_once_per_side")]

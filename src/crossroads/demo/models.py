"""Ground truth kept by the demo: which person rows are the same real (synthetic) person."""

from django.db import models


class DuplicatePair(models.Model):
    original = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")

"""The offence catalogue shipped as package data: its entries, and loading them (missing
entries only, so that a coordinator's corrections are never overwritten)."""

import json
from importlib import resources


def shipped_entries() -> list[dict]:
    data = resources.files("crossroads.investigations").joinpath("data/offences.json")
    return json.loads(data.read_text(encoding="utf-8"))["entries"]


def load_catalogue(offence_model) -> int:
    """Add the shipped entries a jurisdiction does not have yet; the number added."""
    have = set(offence_model.objects.values_list("jurisdiction_id", "code"))
    new = [offence_model(jurisdiction_id=e["jurisdiction"], code=e["code"],
                         category=e["category"], article=e["article"], title=e["title"],
                         source=e["source"], checked=e["checked"])
           for e in shipped_entries() if (e["jurisdiction"], e["code"]) not in have]
    offence_model.objects.bulk_create(new)
    return len(new)

"""The values a formal request citing a selector hit may ask for (`choices.SelectorField`): of
each entity that holds the selector on this node and may share it, in order of id. Never the
entities' FtM ids (they carry the case's reference), their cases or their sources."""

from crossroads.networks.models import Entity

from .choices import SelectorField


def values(holders: list[Entity], fields: list[str]) -> dict:
    """Exactly these fields, each a list with one item per holder."""
    readers = {
        SelectorField.ENTITY_SCHEMA: lambda e: e.schema,
        SelectorField.ENTITY_NAME: lambda e: e.caption,
        SelectorField.ENTITY_PROPERTIES: lambda e: {"schema": e.schema, "properties": e.properties},
    }
    return {name: [readers[name](entity) for entity in holders] for name in fields}

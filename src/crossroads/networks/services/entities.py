"""Entities and links of a case's network, one at a time (pages, API): checked as FtM, tied to
the case and their source, written with their selectors, audited."""

import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import Case
from crossroads.text import clean_text

from .. import proxies
from ..choices import LINK_ENDS
from ..models import Entity, Link, Selector
from ..rules import WORK_NETWORKS
from ..signals import announce_selectors


@dataclass
class EntityInput:
    schema: str
    source: str
    properties: dict = field(default_factory=dict)
    ftm_id: str = ""
    person_id: int | None = None


@dataclass
class LinkInput:
    schema: str
    source: str
    source_entity: str  # the FtM id of an entity of the case
    target_entity: str
    properties: dict = field(default_factory=dict)
    ftm_id: str = ""


def field_errors(error: proxies.InvalidEntity, prefix: str = "") -> dict[str, list[str]]:
    """The entity's problems named as the input names them (`properties.phone`, `schema`)."""
    return {f"{prefix}{name}" if name in {"schema", "id", "properties"}
            else f"{prefix}properties.{name}": messages for name, messages in error.errors.items()}


def clean_source(source: str) -> str:
    source = clean_text(source or "")[:200]
    if not source:
        raise ValidationError({"source": _("Say where this came from (a statement, a record, a "
                                           "file).")})
    return source


def new_id(case: Case) -> str:
    return f"{case.reference.lower()}-{uuid.uuid4().hex}"


def entity_row(actor, case, checked: proxies.Checked, source: str, person_id=None) -> Entity:
    """An unsaved entity of the checked proxy (its id kept, or a new one)."""
    return Entity(case=case, ftm_id=checked.proxy.id or new_id(case),
                  schema=checked.proxy.schema.name, source=source, person_id=person_id,
                  properties_json=json.dumps(checked.proxy.properties, sort_keys=True),
                  created_by=actor)


def selector_rows(entity: Entity, checked: proxies.Checked) -> list[Selector]:
    return [Selector(entity=entity, kind=kind, digest=digest)
            for kind, digest in sorted(checked.selectors)]


def link_row(actor, case, checked: proxies.Checked, source: str, ends: tuple[Entity, Entity]
             ) -> Link:
    proxy = checked.proxy
    start = min(proxy.get("startDate") + proxy.get("date"), default="")
    end = max(proxy.get("endDate") + proxy.get("date"), default="")
    return Link(case=case, ftm_id=proxy.id or new_id(case), schema=proxy.schema.name,
                source=source, source_entity=ends[0], target_entity=ends[1],
                start_date=start, end_date=end,
                properties_json=json.dumps(proxy.properties, sort_keys=True), created_by=actor)


def _person_of_case(case: Case, person_id: int | None, schema: str) -> int | None:
    if person_id is None:
        return None
    if schema != "Person":
        raise ValidationError({"person_id": _("Only a Person is a person of the register.")})
    if not case.involvements.filter(person_id=person_id).exists():
        raise ValidationError({"person_id": _("The person has no part in this case.")})
    return person_id


def writable_case(actor, case: Case) -> None:
    require(actor, CHANGE, case)
    require_capability(actor, WORK_NETWORKS)


def add_entity(actor, case: Case, data: EntityInput) -> Entity:
    writable_case(actor, case)
    source = clean_source(data.source)
    try:
        checked = proxies.check_node({"id": data.ftm_id, "schema": data.schema,
                                      "properties": data.properties}, case.jurisdiction_id)
    except proxies.InvalidEntity as error:
        raise ValidationError(field_errors(error)) from None
    person_id = _person_of_case(case, data.person_id, data.schema)
    entity = entity_row(actor, case, checked, source, person_id)
    if Entity.objects.filter(case=case, ftm_id=entity.ftm_id).exists():
        raise ValidationError({"id": _("The case has an entity with this id already.")})
    with transaction.atomic():
        entity.save()
        Selector.objects.bulk_create(selector_rows(entity, checked))
        announce_selectors([entity.pk])
        record(actor, Action.CREATE, entity, details={"case": case.pk, "schema": entity.schema,
                                                      "source": source})
    return entity


def add_link(actor, case: Case, data: LinkInput) -> Link:
    writable_case(actor, case)
    source = clean_source(data.source)
    ends_props = LINK_ENDS.get(data.schema, ("source_entity", "target_entity"))
    properties = {**data.properties, ends_props[0]: [data.source_entity],
                  ends_props[1]: [data.target_entity]}
    try:
        checked, source_id, target_id = proxies.check_link(
            {"id": data.ftm_id, "schema": data.schema, "properties": properties},
            case.jurisdiction_id)
    except proxies.InvalidEntity as error:
        raise ValidationError(field_errors(error)) from None
    found = {e.ftm_id: e for e in Entity.objects.filter(case=case,
                                                        ftm_id__in=[source_id, target_id])}
    errors = {name: _("No entity of this case has this id.")
              for name, ftm_id in (("source_entity", source_id), ("target_entity", target_id))
              if ftm_id not in found}
    if errors:
        raise ValidationError(errors)
    link = link_row(actor, case, checked, source, (found[source_id], found[target_id]))
    if Link.objects.filter(case=case, ftm_id=link.ftm_id).exists():
        raise ValidationError({"id": _("The case has a link with this id already.")})
    with transaction.atomic():
        link.save()
        record(actor, Action.CREATE, link, details={"case": case.pk, "schema": link.schema,
                                                    "source": source})
    return link

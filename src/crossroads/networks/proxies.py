"""FollowTheMoney entities checked and normalised for a case's network: the schema and every
property must exist, every value must clean under its FtM type; phones become E.164 (with the
case's jurisdiction as the default region), company numbers are validated with python-stdnum
where it knows the jurisdiction. All problems of one entity are reported at once, by property."""

from dataclasses import dataclass, field

import phonenumbers
from django.utils.translation import gettext as _
from followthemoney import model
from followthemoney.proxy import EntityProxy
from stdnum import al, me, mk, rs
from stdnum.exceptions import ValidationError as StdnumError

from crossroads.registry import blind_index

from .choices import LINK_ENDS, NODE_SCHEMATA, SELECTOR_PROPERTIES, VEHICLE_PLATE, SelectorKind

# python-stdnum's business numbers per jurisdiction (none for BA and XK: kept as given).
COMPANY_NUMBERS = {"al": al.nipt, "me": me.pib, "mk": mk.edb, "rs": rs.pib}
MAX_VALUES = 200


class InvalidEntity(Exception):
    """`errors` maps a property name (or "schema", "id") to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Checked:
    proxy: EntityProxy
    selectors: set[tuple[str, str]] = field(default_factory=set)  # (kind, digest)


def normal_phone(value: str, region: str) -> str | None:
    """The number in E.164, read with `region` as its default country; None if invalid."""
    try:
        number = phonenumbers.parse(value, region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _company_number(value: str, countries: list[str]) -> tuple[str | None, str | None]:
    """(the compact number, or None; an error message, or None); `countries` is empty for
    anything but an organisation."""
    for country in countries:
        module = COMPANY_NUMBERS.get(country)
        if module is None:
            continue
        try:
            return module.validate(value), None
        except StdnumError:
            return None, _("Not a valid company number of %(country)s.") % {
                "country": country.upper()}
    return value, None


def selector_value(kind: str, value: str) -> str:
    if kind in {SelectorKind.PLATE, SelectorKind.DOCUMENT, SelectorKind.IBAN,
                SelectorKind.COMPANY_NUMBER}:
        return "".join(ch for ch in value.upper() if ch.isalnum())
    return value.lower() if kind == SelectorKind.EMAIL else value


def _selector_kind(schema: str, prop: str) -> str | None:
    if schema == "Vehicle" and prop == VEHICLE_PLATE:
        return SelectorKind.PLATE
    return SELECTOR_PROPERTIES.get(prop)


def selector_of(schema: str, prop: str, value: str) -> tuple[str, str] | None:
    """(kind, the normalised value that is hashed) of a cleaned property value that is a
    selector, or None: the one definition the local index and the exchange both use."""
    kind = _selector_kind(schema, prop)
    return (kind, selector_value(kind, value)) if kind else None


def selector_digest(kind: str, normalised: str) -> str:
    """The node's own keyed hash of a selector (`Selector.digest`)."""
    return blind_index.digest(f"net-{kind}", normalised)


def selector_values(schema: str, properties: dict[str, list[str]]) -> set[tuple[str, str, str]]:
    """(kind, normalised value, `Selector.digest`) of every selector among an entity's stored
    (cleaned) properties. The values are in clear: for the exchange's keyed hashes only."""
    found = set()
    for name, values in properties.items():
        for value in values:
            selector = selector_of(schema, name, value)
            if selector:
                found.add((*selector, selector_digest(*selector)))
    return found


def check(data: dict, *, region: str, allowed: tuple[str, ...]) -> Checked:
    """The entity `data` ({"id", "schema", "properties"}) cleaned, or `InvalidEntity`."""
    errors: dict[str, list[str]] = {}
    schema = model.get(data.get("schema") or "")
    if schema is None or schema.name not in allowed:
        raise InvalidEntity({"schema": [_("Use one of: %(names)s.") % {"names": ", ".join(allowed)}]})
    proxy = model.make_entity(schema.name)
    proxy.id = str(data.get("id") or "").strip() or None
    if proxy.id is not None and len(proxy.id) > 128:
        errors["id"] = [_("An id has at most 128 characters.")]
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise InvalidEntity({"properties": [_("Give the properties as an object of lists.")]})
    countries = [str(c).lower() for c in properties.get("jurisdiction", []) + properties.get(
        "country", [])] or [region.lower()]
    checked = Checked(proxy)
    for name, values in properties.items():
        prop = schema.get(name)
        if prop is None:
            errors.setdefault(name, []).append(_("%(schema)s has no property %(name)s.") % {
                "schema": schema.name, "name": name})
            continue
        values = values if isinstance(values, list) else [values]
        if len(values) > MAX_VALUES:
            errors.setdefault(name, []).append(_("At most %(n)d values.") % {"n": MAX_VALUES})
            continue
        for raw in values:
            value, error = _clean(prop, str(raw), region,
                                  countries if schema.is_a("Organization") else [])
            if error:
                errors.setdefault(name, []).append(error)
                continue
            proxy.add(name, value, cleaned=True)
            selector = selector_of(schema.name, name, value)
            if selector:
                checked.selectors.add((selector[0], selector_digest(*selector)))
    if errors:
        raise InvalidEntity(errors)
    return checked


def _clean(prop, raw: str, region: str, countries: list[str]) -> tuple[str | None, str | None]:
    if prop.type.name == "phone":
        value = normal_phone(raw, region)
        return value, None if value else _("%(value)s is not a valid phone number.") % {
            "value": raw}
    if prop.name in {"registrationNumber", "taxNumber"}:
        number, error = _company_number(raw, countries)
        if error:
            return None, error
        raw = number
    value = prop.type.clean(raw)
    if value is None:
        return None, _("%(value)s is not a valid %(type)s.") % {"value": raw,
                                                                 "type": prop.type.label}
    return value, None


def check_node(data: dict, region: str) -> Checked:
    return check(data, region=region, allowed=NODE_SCHEMATA)


def check_link(data: dict, region: str) -> tuple[Checked, str, str]:
    """A link and the FtM ids of its two ends (each end must name exactly one entity)."""
    checked = check(data, region=region, allowed=tuple(LINK_ENDS))
    source_prop, target_prop = LINK_ENDS[checked.proxy.schema.name]
    ends, errors = [], {}
    for prop in (source_prop, target_prop):
        values = checked.proxy.get(prop)
        if len(values) != 1:
            errors[prop] = [_("Name exactly one entity here.")]
        else:
            ends.append(values[0])
    if errors:
        raise InvalidEntity(errors)
    return checked, ends[0], ends[1]
